package social.coves.api.xrpc;

/** Query parameters every XRPC query reads the same way. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A lexicon boolean: {@code true}, {@code false}, or absent ({@code otherwise}); anything else is a 400. */
    public static boolean bool(String name, String raw, boolean otherwise) {
        if (raw == null || raw.isEmpty()) {
            return otherwise;
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw XrpcException.invalidRequest(name + " must be true or false");
        };
    }
}
