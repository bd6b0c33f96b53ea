package db

import "gloss/db/suggest"

// EvidenceSpan is where an annotation with a kind lies in its article's
// current text, and who may read it: what a suggestion is checked against
// (a suggestion already made into an annotation is not suggested again).
type EvidenceSpan struct {
	Kind       string
	Start, End int
	Visibility Visibility
	GroupID    int64
}

// CheckSuggestionKeys refuses a key that no suggestion could have
// (suggest.Key), before anything is stored under it.
func CheckSuggestionKeys(keys []string) error {
	if len(keys) == 0 {
		return Errorf(EINVALID, "Say which suggestion: none was given.")
	}
	for _, k := range keys {
		if !suggest.ValidKey(k) {
			return Errorf(EINVALID, "%q does not name a suggestion.", clipQuote(k))
		}
	}
	return nil
}
