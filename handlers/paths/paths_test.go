package paths

import (
	"net/url"
	"testing"
)

func TestPaths(t *testing.T) {
	const slug = "nk-defectors-in-china-remain-concern"
	x := ArticleExports(slug)
	for _, tc := range []struct{ got, want string }{
		// Articles and the reader.
		{Article(slug), "/articles/nk-defectors-in-china-remain-concern"},
		{ArticleAt(slug, 12, 40), "/articles/nk-defectors-in-china-remain-concern?at=12-40#found"},
		{AnnotationInArticle(slug, 7), "/articles/nk-defectors-in-china-remain-concern#a-7"},
		{NoteInArticle(slug, 8), "/articles/nk-defectors-in-china-remain-concern#n-8"},
		{ArticleNotes(slug), "/articles/nk-defectors-in-china-remain-concern#notes"},
		{ArticleText(slug), "/articles/nk-defectors-in-china-remain-concern.txt"},
		{NewAnnotation(slug), "/articles/nk-defectors-in-china-remain-concern/annotations"},
		{NewNote(slug), "/articles/nk-defectors-in-china-remain-concern/notes"},
		{ArticleTags(slug), "/articles/nk-defectors-in-china-remain-concern/tags"},
		{ArticleTagRemove(slug), "/articles/nk-defectors-in-china-remain-concern/tags/remove"},
		{ArticleAnnotations(slug), "/articles/nk-defectors-in-china-remain-concern/annotations/"},
		// Suggested evidence.
		{ArticleSuggestions(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions"},
		{ArticleWithSuggestions(slug), "/articles/nk-defectors-in-china-remain-concern?suggestions=on"},
		{AcceptSuggestion(slug, "figure-0123456789abcdef"), "/articles/nk-defectors-in-china-remain-concern?suggestions=on&accept=figure-0123456789abcdef#annotate"},
		{SuggestionCount(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions/count"},
		{DismissSuggestion(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions/dismiss"},
		{RestoreSuggestions(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions/restore"},
		{SuggestionReview(slug, 0), "/articles/nk-defectors-in-china-remain-concern/suggestions/review"},
		{SuggestionReview(slug, 5), "/articles/nk-defectors-in-china-remain-concern/suggestions/review?group=5"},
		{SuggestionReviewAt(slug, 5, "quote-0123456789abcdef"), "/articles/nk-defectors-in-china-remain-concern/suggestions/review?group=5#s-quote-0123456789abcdef"},
		{SuggestionReviewAt(slug, 5, ""), "/articles/nk-defectors-in-china-remain-concern/suggestions/review?group=5"},
		{AcceptSuggestionInGroup(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions/accept"},
		{AcceptAllSuggestions(slug), "/articles/nk-defectors-in-china-remain-concern/suggestions/accept-all"},
		// Annotations and notes.
		{Annotation(42), "/annotations/42"},
		{AnnotationEdit(42), "/annotations/42/edit"},
		{AnnotationDelete(42), "/annotations/42/delete"},
		{AnnotationReplies(42), "/annotations/42/replies"},
		{AnnotationHide(42), "/annotations/42/hide"},
		{AnnotationUnhide(42), "/annotations/42/unhide"},
		{NoteEdit(9), "/notes/9/edit"},
		{NoteDelete(9), "/notes/9/delete"},
		// Identifiers without pages.
		{User(3), "/users/3"},
		{Vocabulary, "/ns#"},
		// Tags.
		{Tag("refugees"), "/tags/refugees"},
		{TagCSV("refugees"), "/tags/refugees/export.csv"},
		{TagEdit("refugees"), "/tags/refugees/edit"},
		{TagMerge("refugees"), "/tags/refugees/merge"},
		// Search and the library.
		{LibraryWith(nil), "/"},
		{LibraryWith(url.Values{"sort": {"title"}, "page": {"2"}}), "/?page=2&sort=title"},
		{LibraryWith(url.Values{"publication": {"Voice of America"}}), "/?publication=Voice+of+America"},
		{SearchFor(nil), "/search"},
		{SearchFor(url.Values{"q": {"refugees"}, "kind": {"note"}}), "/search?kind=note&q=refugees"},
		// Signing in.
		{Login(""), "/login"},
		{Login("/articles/x?show=mine"), "/login?next=%2Farticles%2Fx%3Fshow%3Dmine"},
		{LoginRaw(Article(slug)), "/login?next=/articles/nk-defectors-in-china-remain-concern"},
		{Signup(""), "/signup"},
		{Signup("/invites/tok"), "/signup?next=%2Finvites%2Ftok"},
		{Invite("inv_AbC-9_z"), "/invites/inv_AbC-9_z"},
		// Account.
		{AccountSessionRevoke(3), "/account/sessions/3/revoke"},
		{AccountTokenRevoke(4), "/account/tokens/4/revoke"},
		// Groups.
		{Group(5), "/groups/5"},
		{GroupInvites(5), "/groups/5/invites"},
		{GroupInviteRevoke(5, 6), "/groups/5/invites/6/revoke"},
		{GroupMemberRole(5, 7), "/groups/5/members/7/role"},
		{GroupMemberRemove(5, 7), "/groups/5/members/7/remove"},
		{GroupLeave(5), "/groups/5/leave"},
		{Codebook(5), "/groups/5/codebook"},
		{CodebookCSV(5), "/groups/5/codebook.csv"},
		{CodebookRemove(5), "/groups/5/codebook/remove"},
		{CodebookImport(5), "/groups/5/codebook/import"},
		{GroupOverview(5), "/groups/5/overview"},
		{GroupOverviewCSV(5), "/groups/5/overview.csv"},
		// Exports.
		{Everything.CSV(), "/export.csv"},
		{Everything.Markdown(), "/export.md"},
		{Everything.JSONLD(), "/export.jsonld"},
		{x.CSV(), "/articles/nk-defectors-in-china-remain-concern/export.csv"},
		{x.CSVForExcel(), "/articles/nk-defectors-in-china-remain-concern/export.csv?bom=1"},
		{x.Markdown(), "/articles/nk-defectors-in-china-remain-concern/export.md"},
		{x.JSONLD(), "/articles/nk-defectors-in-china-remain-concern/export.jsonld"},
		{GroupExports(5).CSV(), "/groups/5/export.csv"},
		{Pseudonymized(GroupExports(5).Markdown()), "/groups/5/export.md?pseudonymize=1"},
		{Pseudonymized(GroupExports(5).JSONLD()), "/groups/5/export.jsonld?pseudonymize=1"},
		{CollectionExports(11).JSONLD(), "/collections/11/export.jsonld"},
		// Collections.
		{Collection(11), "/collections/11"},
		{Share("col_Xy-z_1"), "/s/col_Xy-z_1"},
		{Slide(Collection(11), 3), "/collections/11/present/3"},
		{Slide(Share("tok"), 1), "/s/tok/present/1"},
		{Print(Collection(11)), "/collections/11/print"},
		{Print(Share("tok")), "/s/tok/print"},
		{CollectionEdit(11), "/collections/11/edit"},
		{CollectionEditAt(11, "share-h"), "/collections/11/edit#share-h"},
		{CollectionItemInEditor(11, 12), "/collections/11/edit#item-12"},
		{CollectionDelete(11), "/collections/11/delete"},
		{CollectionDuplicate(11), "/collections/11/duplicate"},
		{CollectionItems(11), "/collections/11/items"},
		{CollectionItemEdit(11, 12), "/collections/11/items/12/edit"},
		{CollectionItemMove(11, 12), "/collections/11/items/12/move"},
		{CollectionItemRemove(11, 12), "/collections/11/items/12/remove"},
		{CollectionOrder(11), "/collections/11/order"},
		{CollectionShare(11), "/collections/11/share"},
		{CollectionUnshare(11), "/collections/11/share/revoke"},
		{CollectAnnotation(42), "/collections/add?annotation=42"},
		{CollectArticle(slug), "/collections/add?article=nk-defectors-in-china-remain-concern"},
		{CollectPassage(slug, 3, 9), "/collections/add?article=nk-defectors-in-china-remain-concern&at=3-9"},
		// Evidence.
		{Voice(13), "/voices/13"},
		{VoiceCSV(13), "/voices/13.csv"},
		{VoiceAliases(13), "/voices/13/aliases"},
		{VoiceMerge(13), "/voices/13/merge"},
		{FigureGroup("North Koreans in China", "people", 1), "/figures?counted=North+Koreans+in+China&unit=people"},
		{FigureGroup("refugees", "", 3), "/figures?counted=refugees&page=3&unit="},
		{TimelineOf("", "", 1), "/timeline"},
		{TimelineOf("13", "", 1), "/timeline?entity=13"},
		{TimelineOf("13", "actors/ngo", 2), "/timeline?entity=13&page=2&tag=actors%2Fngo"},
		{TimelineCSV("", ""), "/timeline.csv"},
		{TimelineCSV("", "law"), "/timeline.csv?tag=law"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestEscaping: whatever a name holds, it stays inside its path segment or
// query value, and reads back as it was.
func TestEscaping(t *testing.T) {
	t.Run("Tags", func(t *testing.T) {
		for name, want := range map[string]string{
			"actors/ngo":         "/tags/actors%2Fngo",
			"a b":                "/tags/a%20b",
			"?#%":                "/tags/%3F%23%25",
			"état":               "/tags/%C3%A9tat",
			"../admin":           "/tags/..%2Fadmin",
			"q&a=1+2":            "/tags/q&a=1+2",
			"refugees;returnees": "/tags/refugees%3Breturnees",
		} {
			got := Tag(name)
			if got != want {
				t.Errorf("Tag(%q) = %q, want %q", name, got, want)
			}
			if back, err := url.PathUnescape(got[len("/tags/"):]); err != nil || back != name {
				t.Errorf("Tag(%q) reads back as %q (%v)", name, back, err)
			}
			if got := TagEdit(name); got != want+"/edit" {
				t.Errorf("TagEdit(%q) = %q", name, got)
			}
		}
	})
	t.Run("Slugs", func(t *testing.T) {
		// The store allows only lowercase letters, digits and hyphens; an odd
		// slug cannot escape the article's segment all the same.
		for slug, want := range map[string]string{
			"a/b":  "/articles/a%2Fb",
			"a?b":  "/articles/a%3Fb",
			"a#b":  "/articles/a%23b",
			"a b":  "/articles/a%20b",
			"..":   "/articles/..",
			"élan": "/articles/%C3%A9lan",
		} {
			if got := Article(slug); got != want {
				t.Errorf("Article(%q) = %q, want %q", slug, got, want)
			}
		}
		if got := ArticleAt("a?b", 1, 2); got != "/articles/a%3Fb?at=1-2#found" {
			t.Errorf("ArticleAt = %q", got)
		}
		if got := CollectArticle("a&b=c"); got != "/collections/add?article=a%26b%3Dc" {
			t.Errorf("CollectArticle = %q", got)
		}
	})
	t.Run("Tokens", func(t *testing.T) {
		if got := Share("a/b?c"); got != "/s/a%2Fb%3Fc" {
			t.Errorf("Share = %q", got)
		}
		if got := Invite("a/b"); got != "/invites/a%2Fb" {
			t.Errorf("Invite = %q", got)
		}
	})
	t.Run("Next", func(t *testing.T) {
		next := "/search?q=a&b#c"
		u, err := url.Parse(Login(next))
		if err != nil || u.Path != "/login" || u.Query().Get("next") != next || u.Fragment != "" {
			t.Errorf("Login(%q) = %q", next, Login(next))
		}
	})
}
