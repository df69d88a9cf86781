package social.coves.lexicon.schema;

import social.coves.lexicon.syntax.AtIdentifier;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Cid;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Handle;
import social.coves.lexicon.syntax.LanguageTag;
import social.coves.lexicon.syntax.Nsid;
import social.coves.lexicon.syntax.RecordKey;
import social.coves.lexicon.syntax.Tid;
import social.coves.lexicon.syntax.Uri;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/** The lexicon string formats, each checked by the matching syntax type. */
public enum StringFormat {
    AT_IDENTIFIER("at-identifier", AtIdentifier::isValid),
    AT_URI("at-uri", AtUri::isValid),
    CID("cid", Cid::isValid),
    DATETIME("datetime", Datetime::isValid),
    DID("did", Did::isValid),
    HANDLE("handle", Handle::isValid),
    NSID("nsid", Nsid::isValid),
    TID("tid", Tid::isValid),
    RECORD_KEY("record-key", RecordKey::isValid),
    URI("uri", Uri::isValid),
    LANGUAGE("language", LanguageTag::isValid);

    private final String keyword;
    private final Predicate<String> check;

    StringFormat(String keyword, Predicate<String> check) {
        this.keyword = keyword;
        this.check = check;
    }

    public String keyword() {
        return keyword;
    }

    public boolean accepts(String value) {
        return check.test(value);
    }

    public static Optional<StringFormat> fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(f -> f.keyword.equals(keyword)).findFirst();
    }
}
