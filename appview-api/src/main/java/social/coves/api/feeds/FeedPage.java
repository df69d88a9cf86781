package social.coves.api.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import social.coves.api.hydration.HydratedPost;
import social.coves.api.posts.PostView;

import java.io.IOException;
import java.util.List;

/** {@code {"feed": [{"post": postView}], "cursor"?}}; the cursor is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedPage(List<Item> feed, String cursor) {

    /** A page of these posts, in this order. */
    public static FeedPage of(List<HydratedPost> posts, String cursor) {
        return new FeedPage(posts.stream().map(p -> new Item(p.view(), p.rendered())).toList(), cursor);
    }

    /**
     * One feed item. {@code rendered}, when set, is {@code post} already serialised ({@link HydratedPost#rendered()}):
     * the item's JSON is then copied, not written field by field again.
     */
    @JsonSerialize(using = ItemSerializer.class)
    public record Item(PostView post, SerializableString rendered) {

        public Item(PostView post) {
            this(post, null);
        }
    }

    static final class ItemSerializer extends StdSerializer<Item> {

        ItemSerializer() {
            super(Item.class);
        }

        @Override
        public void serialize(Item item, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeFieldName("post");
            if (item.rendered() != null) {
                gen.writeRawValue(item.rendered());
            } else {
                provider.defaultSerializeValue(item.post(), gen);
            }
            gen.writeEndObject();
        }
    }
}
