package social.coves.localstack.synthetic;

import java.util.SplittableRandom;

/**
 * The last {@code capacity} items of one kind (posts, comments, votes, ...): what new activity refers to. Picks favour
 * recent items, as attention does on a real network; older items fall out, so memory stays constant.
 */
final class RecentItems<T> {

    private final Object[] slots;
    private long added;

    RecentItems(int capacity) {
        this.slots = new Object[capacity];
    }

    void add(T item) {
        slots[(int) (added++ % slots.length)] = item;
    }

    /**
     * The slot of a recent live item (squared-uniform age: the newest are likeliest), or -1 if none was found.
     */
    int pick(SplittableRandom random) {
        long live = Math.min(added, slots.length);
        if (live == 0) {
            return -1;
        }
        double u = random.nextDouble();
        long age = (long) (u * u * live);
        // a few older neighbours if that slot was emptied by a delete
        for (long a = age; a < Math.min(live, age + 8); a++) {
            int index = (int) ((added - 1 - a) % slots.length);
            if (slots[index] != null) {
                return index;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    T get(int slot) {
        return (T) slots[slot];
    }

    /** An edit keeps the item's place in time. */
    void set(int slot, T item) {
        slots[slot] = item;
    }

    void remove(int slot) {
        slots[slot] = null;
    }
}
