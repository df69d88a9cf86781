package social.coves.api.images;

import java.util.Locale;
import java.util.Optional;

/** The image sizes Coves clients ask for; the name is part of every image URL. */
public enum ImagePreset {
    AVATAR, AVATAR_SMALL, BANNER, CONTENT_PREVIEW, CONTENT_FULL, EMBED_THUMBNAIL;

    public String urlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ImagePreset> fromUrlName(String name) {
        for (ImagePreset preset : values()) {
            if (preset.urlName().equals(name)) {
                return Optional.of(preset);
            }
        }
        return Optional.empty();
    }
}
