package social.coves.api.sql;

import java.util.HashMap;
import java.util.Map;

/**
 * Positions of the columns of a fixed SELECT list ({@code "p.uri, aa.handle AS author_handle, ..."}), so row mappers
 * read fields by index: {@code Row.getString(name)} searches the result's column names for every field of every row
 * (8 % of the API's CPU on feed pages in a JFR profile). The list must come first in the query's SELECT.
 */
public final class SelectList {

    private final Map<String, Integer> positions = new HashMap<>();

    public SelectList(String columns) {
        String[] items = columns.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            int as = item.toUpperCase(java.util.Locale.ROOT).lastIndexOf(" AS ");
            String name = as >= 0 ? item.substring(as + 4).trim() : item.substring(item.lastIndexOf('.') + 1);
            if (positions.put(name, i) != null) {
                throw new IllegalArgumentException("column " + name + " appears twice in " + columns);
            }
        }
    }

    /** The position of {@code name}; fails at class initialisation when a mapper asks for a column the list lacks. */
    public int of(String name) {
        Integer position = positions.get(name);
        if (position == null) {
            throw new IllegalArgumentException("no column " + name + " in the select list " + positions.keySet());
        }
        return position;
    }
}
