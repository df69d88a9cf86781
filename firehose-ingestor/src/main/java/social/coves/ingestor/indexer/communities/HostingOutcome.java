package social.coves.ingestor.indexer.communities;

/** What asking identity-service about one community gave: a verdict, or no answer (try again later). */
public sealed interface HostingOutcome {

    /** identity-service decided: {@code verified} with its reason ({@code Verified}, {@code DomainMismatch}, ...). */
    record Decided(boolean verified, String reason, String message, String handle) implements HostingOutcome {
    }

    /** No verdict: identity-service unreachable, timed out, failing, or the did:web host could not be fetched. */
    record Undecided(String reason, String message) implements HostingOutcome {
    }
}
