package sqlstore

import (
	"testing"

	"gloss/db"
)

// FuzzW3C feeds the JSON-LD readers (the protocol's W3CToInput and the
// import's W3CItems and readW3CItem) anything: they must not panic, and
// every refusal must be a coded client error, never an internal one.
func FuzzW3C(f *testing.F) {
	const base = "https://gloss.example"
	for _, seed := range []string{
		`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","body":{"type":"TextualBody","value":"hi"},` +
			`"target":{"source":"https://gloss.example/articles/a","selector":[{"type":"TextQuoteSelector","exact":"x","prefix":"","suffix":""},` +
			`{"type":"TextPositionSelector","start":-1,"end":99999999999999999999}]}}`,
		`{"type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[{"type":"Annotation","motivation":"replying","target":"https://gloss.example/annotations/1"}]}}`,
		`[{"type":"Annotation","gloss:visibility":"group","gloss:group":"https://gloss.example/groups/9223372036854775807"}]`,
		`{"type":"AnnotationPage","items":null,"next":"x"}`,
		"{\"type\":\"Annotation\",\"body\":[{\"value\":\"\x00\xff\",\"purpose\":\"tagging\"}]}",
		`[[[[[]]]]]`, `null`, `"x"`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := db.W3CToInput(base, data); err != nil && db.ErrorCode(err) == db.EINTERNAL {
			t.Fatalf("W3CToInput: internal error %v", err)
		}
		items, err := db.W3CItems(data)
		if err != nil {
			if db.ErrorCode(err) == db.EINTERNAL {
				t.Fatalf("W3CItems: internal error %v", err)
			}
			return
		}
		for i, raw := range items {
			readW3CItem(base, i, raw)
		}
	})
}
