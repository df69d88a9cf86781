package social.coves.identity.safety;

/** Why an outbound fetch did not produce a usable response. The label is the metric tag. */
public enum FetchFailure {
    PRIVATE_ADDRESS("private_address", true),
    LOOPBACK_ADDRESS("loopback_address", true),
    LINK_LOCAL_ADDRESS("link_local_address", true),
    METADATA_ADDRESS("metadata_address", true),
    NON_PUBLIC_ADDRESS("non_public_address", true),
    IP_LITERAL("ip_literal", true),
    FORBIDDEN_PORT("forbidden_port", true),
    FORBIDDEN_SCHEME("forbidden_scheme", true),
    RESERVED_NAME("reserved_name", true),
    REDIRECT("redirect", true),
    TOO_LARGE("too_large", true),
    RATE_LIMITED("rate_limited", true),
    BUSY("busy", true),
    NO_ADDRESS("no_address", false),
    TIMEOUT("timeout", false),
    BAD_RESPONSE("bad_response", false),
    IO("io", false);

    private final String label;
    private final boolean refusal;

    FetchFailure(String label, boolean refusal) {
        this.label = label;
        this.refusal = refusal;
    }

    public String label() {
        return label;
    }

    /** A refusal is our own safety rule saying no (as opposed to the network failing). */
    public boolean isRefusal() {
        return refusal;
    }
}
