package social.coves.lexicon.schema;

/** One rule a value broke; {@code path} is a JSON path such as {@code $.embed.images[0].alt}. */
public record ValidationError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
