package social.coves.lexicon.schema;

/** An immutable JSON path built while walking a value; rendered only when an error is reported. */
record JsonPath(JsonPath parent, String field, int index) {

    static final JsonPath ROOT = new JsonPath(null, null, -1);

    JsonPath field(String name) {
        return new JsonPath(this, name, -1);
    }

    JsonPath index(int i) {
        return new JsonPath(this, null, i);
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "$";
        }
        return parent + (field != null ? "." + field : "[" + index + "]");
    }
}
