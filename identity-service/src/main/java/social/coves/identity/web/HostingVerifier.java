package social.coves.identity.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.resolution.DidDocument;
import social.coves.identity.resolution.IdentityError;
import social.coves.identity.resolution.IdentityService;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.DidMethodRules;
import social.coves.lexicon.syntax.Handle;

import java.util.Locale;

/**
 * The indexer's {@code hostedBy} rule (research/coves.md §2.3, §5.4): {@code hostedBy} must be a did:web whose host
 * equals the registrable domain of the community handle, and that did:web document (fetched safely and cached,
 * id = hostedBy) must list {@code at://<registrable domain>} in {@code alsoKnownAs}.
 */
@ApplicationScoped
public class HostingVerifier {

    private final IdentityService identities;

    public HostingVerifier(IdentityService identities) {
        this.identities = identities;
    }

    public HostingVerdict verify(String handleInput, String hostedBy) {
        if (handleInput == null || !Handle.isValid(handleInput)) {
            return no("InvalidHandle", "community handle is missing or not a valid handle", handleInput, hostedBy, null);
        }
        String handle = handleInput.toLowerCase(Locale.ROOT);
        String domain = RegistrableDomain.of(handle);
        if (hostedBy == null || !hostedBy.startsWith("did:web:") || !DidMethodRules.isValid(hostedBy)) {
            return no("NotDidWeb", "hostedBy must be a did:web DID", handle, hostedBy, domain);
        }
        String host = Did.parse(hostedBy).methodSpecificId().toLowerCase(Locale.ROOT);
        if (!host.equals(domain)) {
            return no("DomainMismatch", "handle domain " + domain + " is not the did:web host " + host, handle, hostedBy, domain);
        }
        DidDocument document;
        try {
            document = identities.resolveDid(hostedBy);
        } catch (IdentityError e) {
            String reason = switch (e.kind()) {
                case DID_NOT_FOUND -> "DidNotFound";
                case DID_DEACTIVATED -> "DidDeactivated";
                case UPSTREAM_FAILURE -> "ResolutionFailed";
                default -> "InvalidRequest";
            };
            return no(reason, e.getMessage(), handle, hostedBy, domain);
        }
        String alias = "at://" + domain;
        for (JsonNode entry : document.json().path("alsoKnownAs")) {
            if (entry.asText("").toLowerCase(Locale.ROOT).equals(alias)) {
                return new HostingVerdict(true, HostingVerdict.VERIFIED, hostedBy + " claims " + alias, handle, hostedBy, domain);
            }
        }
        return no("AliasMissing", "the did:web document does not list " + alias + " in alsoKnownAs", handle, hostedBy, domain);
    }

    private static HostingVerdict no(String reason, String message, String handle, String hostedBy, String domain) {
        return new HostingVerdict(false, reason, message, handle, hostedBy, domain);
    }
}
