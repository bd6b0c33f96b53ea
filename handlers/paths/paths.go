// Package paths builds the addresses of Gloss's pages: one function per
// route shape, used by handlers, views and exports alike. An absolute link
// is the site's base (scheme and host) followed by one of these.
//
// The routes themselves are registered in handlers (routes.go and the
// Routes functions of its subpackages); a change of shape there is a change
// here, and this package's tests pin every address.
package paths

import (
	"net/url"
	"strconv"
)

// Addresses without parameters.
const (
	Library          = "/"
	Index            = "/index"
	Search           = "/search"
	Tags             = "/tags"
	Account          = "/account"
	Groups           = "/groups"
	Collections      = "/collections"
	Admin            = "/admin"
	Export           = "/export"
	Import           = "/import"
	ImportAnnotation = "/import/annotations"
	Voices           = "/voices"
	VoicesCSV        = "/voices.csv"
	Figures          = "/figures"
	FiguresCSV       = "/figures.csv"
	Timeline         = "/timeline"
	Suggestions      = "/evidence/suggestions"
	// TagSuggestions is the viewer's tag names, as the reader's datalist.
	TagSuggestions = "/tag-suggestions"
	// Annotations is the W3C protocol's container of every annotation.
	Annotations = "/annotations/"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// withQuery is path with q as its query string, if q has anything.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// ---- Articles and the reader ----

// Article is an article in the reader.
func Article(slug string) string { return "/articles/" + url.PathEscape(slug) }

// ArticleEvents is an article's live stream (Server-Sent Events).
func ArticleEvents(slug string) string { return Article(slug) + "/events" }

// Live streams, notifications and mentions.
const (
	UserEvents           = "/events"
	Notifications        = "/notifications"
	NotificationsReadAll = "/notifications/read"
	NotificationsEmail   = "/notifications/email"
	Mentions             = "/mentions"
)

// NotificationOpen marks a notification read and goes to what it is about.
func NotificationOpen(n int64) string { return Notifications + "/" + id(n) }

// NotificationRead marks one notification read.
func NotificationRead(n int64) string { return NotificationOpen(n) + "/read" }

// ThreadMute mutes (or unmutes) an annotation's thread.
func ThreadMute(annotation int64) string { return "/annotations/" + id(annotation) + "/mute" }

// Passage is an annotation's passage in the reader, marked, with its card.
func Passage(slug string, start, end int, annotation int64) string {
	return Article(slug) + "?at=" + strconv.Itoa(start) + "-" + strconv.Itoa(end) + "#a-" + id(annotation)
}

// User is a person's page (where a mention links), and their IRI in
// JSON-LD as an annotation's creator.
func User(u int64) string { return "/users/" + id(u) }

// GroupActivity is a group's live activity page; GroupActivityEvents its stream.
func GroupActivity(group int64) string       { return Group(group) + "/activity" }
func GroupActivityEvents(group int64) string { return GroupActivity(group) + "/events" }

// GroupMute and GroupFollow set what a person hears of a group.
func GroupMute(group int64) string   { return Group(group) + "/mute" }
func GroupFollow(group int64) string { return Group(group) + "/follow" }

// ArticleAt is the reader with the passage [start, end) (code points)
// highlighted and scrolled to.
func ArticleAt(slug string, start, end int) string {
	return Article(slug) + "?at=" + strconv.Itoa(start) + "-" + strconv.Itoa(end) + "#found"
}

// AnnotationInArticle is an annotation (or reply) in its article's reader.
func AnnotationInArticle(slug string, annotation int64) string {
	return Article(slug) + "#a-" + id(annotation)
}

// CardLink is an annotation's card in its article's reader, wherever it
// is: the reader answers ?card=ID with a redirect to the page of the
// margin's cards that holds it (a reply: its thread's), so that the link
// works without JavaScript and whatever was written since.
func CardLink(slug string, annotation int64) string {
	return Article(slug) + "?card=" + id(annotation) + "#a-" + id(annotation)
}

// ArticleWith is the reader with a query: its filters and the page of
// the margin's cards (?cards=2).
func ArticleWith(slug string, q url.Values) string { return withQuery(Article(slug), q) }

// AnnotationOnCards is an annotation in its article's reader, on the page
// of the margin's cards that holds it (from 1).
func AnnotationOnCards(slug string, page int, annotation int64) string {
	if page <= 1 {
		return AnnotationInArticle(slug, annotation)
	}
	return Article(slug) + "?cards=" + strconv.Itoa(page) + "#a-" + id(annotation)
}

// NoteInArticle is a note on its article's page.
func NoteInArticle(slug string, note int64) string { return Article(slug) + "#n-" + id(note) }

// ArticleNotes is the notes section of an article's page.
func ArticleNotes(slug string) string { return Article(slug) + "#notes" }

// ArticleText is the article's stored text, byte for byte.
func ArticleText(slug string) string { return Article(slug) + ".txt" }

// NewAnnotation is where the reader's forms post an annotation.
func NewAnnotation(slug string) string { return Article(slug) + "/annotations" }

// NewNote is where the reader's form posts a note.
func NewNote(slug string) string { return Article(slug) + "/notes" }

// ArticleTags is where tags are added to an article.
func ArticleTags(slug string) string { return Article(slug) + "/tags" }

// ArticleTagRemove is where a tag is taken off an article.
func ArticleTagRemove(slug string) string { return Article(slug) + "/tags/remove" }

// ArticleAnnotations is the W3C protocol's container of an article's annotations.
func ArticleAnnotations(slug string) string { return Article(slug) + "/annotations/" }

// ---- Suggested evidence ----

// ArticleSuggestions is an article's suggested evidence: the reader's
// panel of them when the reader's script asks, else the reader showing them.
func ArticleSuggestions(slug string) string { return Article(slug) + "/suggestions" }

// ArticleWithSuggestions is the reader with its Suggestions switch on.
func ArticleWithSuggestions(slug string) string { return Article(slug) + "?suggestions=on" }

// AcceptSuggestion is the reader with its annotate form filled in from a
// suggestion (accepting it without JavaScript).
func AcceptSuggestion(slug, key string) string {
	return ArticleWithSuggestions(slug) + "&accept=" + url.QueryEscape(key) + "#annotate"
}

// SuggestionCount is how many suggestions are left for the viewer (JSON).
func SuggestionCount(slug string) string { return ArticleSuggestions(slug) + "/count" }

// DismissSuggestion is where a suggestion is dismissed (field key).
func DismissSuggestion(slug string) string { return ArticleSuggestions(slug) + "/dismiss" }

// RestoreSuggestions shows the suggestions dismissed in an article again.
func RestoreSuggestions(slug string) string { return ArticleSuggestions(slug) + "/restore" }

// SuggestionReview reviews an article's suggestions in bulk into a group
// (0: the first the viewer owns).
func SuggestionReview(slug string, group int64) string {
	p := ArticleSuggestions(slug) + "/review"
	if group != 0 {
		p += "?group=" + id(group)
	}
	return p
}

// SuggestionReviewAt is the review at one suggestion ("" for the top).
func SuggestionReviewAt(slug string, group int64, key string) string {
	if key == "" {
		return SuggestionReview(slug, group)
	}
	return SuggestionReview(slug, group) + "#s-" + url.PathEscape(key)
}

// AcceptSuggestionInGroup accepts one suggestion into a group (review).
func AcceptSuggestionInGroup(slug string) string { return ArticleSuggestions(slug) + "/accept" }

// AcceptAllSuggestions accepts every suggestion of a kind into a group.
func AcceptAllSuggestions(slug string) string { return ArticleSuggestions(slug) + "/accept-all" }

// ---- Annotations and notes ----

// Annotation is one annotation: JSON-LD for the protocol, a redirect to its
// place in the reader for a browser.
func Annotation(annotation int64) string { return "/annotations/" + id(annotation) }

// AnnotationEdit is the form that changes an annotation.
func AnnotationEdit(annotation int64) string { return Annotation(annotation) + "/edit" }

// AnnotationDelete deletes an annotation and its replies.
func AnnotationDelete(annotation int64) string { return Annotation(annotation) + "/delete" }

// AnnotationReplies is where a reply is posted.
func AnnotationReplies(annotation int64) string { return Annotation(annotation) + "/replies" }

// AnnotationHide hides an annotation from its group (moderation).
func AnnotationHide(annotation int64) string { return Annotation(annotation) + "/hide" }

// AnnotationUnhide shows a hidden annotation again.
func AnnotationUnhide(annotation int64) string { return Annotation(annotation) + "/unhide" }

// NoteEdit is the form that changes a note.
func NoteEdit(note int64) string { return "/notes/" + id(note) + "/edit" }

// NoteDelete deletes a note.
func NoteDelete(note int64) string { return "/notes/" + id(note) + "/delete" }

// ---- Identifiers without pages ----

// Vocabulary is the namespace of Gloss's own JSON-LD terms (the gloss:
// prefix); it serves no page.
const Vocabulary = "/ns#"

// ---- Tags ----

// Tag is the page of a tag's passages. A hierarchical tag's slash is
// escaped, so the name stays one path segment.
func Tag(name string) string { return "/tags/" + url.PathEscape(name) }

// TagCSV is a tag's passages as CSV.
func TagCSV(name string) string { return Tag(name) + "/export.csv" }

// TagEdit is the form that renames, colours and describes a tag.
func TagEdit(name string) string { return Tag(name) + "/edit" }

// TagMerge merges a tag into another.
func TagMerge(name string) string { return Tag(name) + "/merge" }

// ---- Search and the library ----

// LibraryWith is the library filtered, sorted or paged by q.
func LibraryWith(q url.Values) string { return withQuery(Library, q) }

// SearchFor is the search page with the query parameters q.
func SearchFor(q url.Values) string { return withQuery(Search, q) }

// ---- Signing in ----

// Login is the sign-in page, which returns to next ("" for none) after.
func Login(next string) string { return withNext("/login", next) }

// LoginRaw is Login with next written as given, unescaped: for a next that
// is a plain path, as the reader's margin has always linked it (Login
// escapes its slashes).
func LoginRaw(next string) string { return "/login?next=" + next }

// Signup is the sign-up page, which returns to next ("" for none) after.
func Signup(next string) string { return withNext("/signup", next) }

func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// Invite is an invitation link; the token is its secret.
func Invite(token string) string { return "/invites/" + url.PathEscape(token) }

// ---- Account and administration ----

// AccountSessionRevoke signs one of the person's sessions out.
func AccountSessionRevoke(session int64) string {
	return "/account/sessions/" + id(session) + "/revoke"
}

// AccountTokenRevoke revokes one of the person's API tokens.
func AccountTokenRevoke(token int64) string { return "/account/tokens/" + id(token) + "/revoke" }

// ---- Groups ----

// Group is a group's page.
func Group(group int64) string { return "/groups/" + id(group) }

// GroupInvites is where a group's owners make an invitation.
func GroupInvites(group int64) string { return Group(group) + "/invites" }

// GroupInviteRevoke withdraws a group invitation.
func GroupInviteRevoke(group, invite int64) string {
	return GroupInvites(group) + "/" + id(invite) + "/revoke"
}

// GroupMemberRole changes a member's role.
func GroupMemberRole(group, user int64) string {
	return Group(group) + "/members/" + id(user) + "/role"
}

// GroupMemberRemove removes a member from a group.
func GroupMemberRemove(group, user int64) string {
	return Group(group) + "/members/" + id(user) + "/remove"
}

// GroupLeave is where a member leaves a group.
func GroupLeave(group int64) string { return Group(group) + "/leave" }

// Codebook is a group's codebook: its tags and their definitions.
func Codebook(group int64) string { return Group(group) + "/codebook" }

// CodebookCSV is a group's codebook as CSV.
func CodebookCSV(group int64) string { return Group(group) + "/codebook.csv" }

// CodebookRemove takes a definition out of a codebook.
func CodebookRemove(group int64) string { return Codebook(group) + "/remove" }

// CodebookImport imports definitions from a CSV file.
func CodebookImport(group int64) string { return Codebook(group) + "/import" }

// GroupOverview is a group's class overview.
func GroupOverview(group int64) string { return Group(group) + "/overview" }

// GroupOverviewCSV is a group's class overview as CSV.
func GroupOverviewCSV(group int64) string { return Group(group) + "/overview.csv" }

// ---- Exports ----

// Exports is where the export files of one scope are: the address they
// share, to which CSV, Markdown or JSONLD add the file's extension.
type Exports string

// Everything is the export of all the annotations a person can see.
const Everything Exports = Export

// ArticleExports are the exports of one article's annotations.
func ArticleExports(slug string) Exports { return Exports(Article(slug) + "/export") }

// GroupExports are the exports of what is shared with a group.
func GroupExports(group int64) Exports { return Exports(Group(group) + "/export") }

// CollectionExports are the exports of a collection's chosen annotations.
func CollectionExports(collection int64) Exports {
	return Exports(Collection(collection) + "/export")
}

// CSV is the export as CSV.
func (x Exports) CSV() string { return string(x) + ".csv" }

// CSVForExcel is the CSV with a byte-order mark, which Excel needs to read UTF-8.
func (x Exports) CSVForExcel() string { return x.CSV() + "?bom=1" }

// Markdown is the export as Markdown.
func (x Exports) Markdown() string { return string(x) + ".md" }

// JSONLD is the export as W3C Web Annotation JSON-LD.
func (x Exports) JSONLD() string { return string(x) + ".jsonld" }

// Pseudonymized is an export file (CSV, Markdown or JSONLD) with its
// authors named Participant 1, 2, …
func Pseudonymized(file string) string { return file + "?pseudonymize=1" }

// ---- Collections ----

// Collection is a collection's page. Its pages for reading (Slide, Print)
// are also under a share link (Share), for whoever holds it.
func Collection(collection int64) string { return "/collections/" + id(collection) }

// Share is a collection's share link; the token is its secret.
func Share(token string) string { return "/s/" + url.PathEscape(token) }

// Slide is slide n (from 1) of the presentation of the collection read at
// base (Collection or Share).
func Slide(base string, n int) string { return base + "/present/" + strconv.Itoa(n) }

// Print is the printable page of the collection read at base (Collection or Share).
func Print(base string) string { return base + "/print" }

// CollectionEdit is a collection's editor.
func CollectionEdit(collection int64) string { return Collection(collection) + "/edit" }

// CollectionEditAt is the editor scrolled to the element with id anchor.
func CollectionEditAt(collection int64, anchor string) string {
	return CollectionEdit(collection) + "#" + anchor
}

// CollectionItemInEditor is the editor scrolled to one item.
func CollectionItemInEditor(collection, item int64) string {
	return CollectionEditAt(collection, "item-"+id(item))
}

// CollectionDelete deletes a collection.
func CollectionDelete(collection int64) string { return Collection(collection) + "/delete" }

// CollectionDuplicate makes a copy of a collection.
func CollectionDuplicate(collection int64) string { return Collection(collection) + "/duplicate" }

// CollectionItems is where an item is added at the end.
func CollectionItems(collection int64) string { return Collection(collection) + "/items" }

// CollectionItemEdit saves an item's heading, commentary and choices.
func CollectionItemEdit(collection, item int64) string {
	return CollectionItems(collection) + "/" + id(item) + "/edit"
}

// CollectionItemMove moves an item up or down.
func CollectionItemMove(collection, item int64) string {
	return CollectionItems(collection) + "/" + id(item) + "/move"
}

// CollectionItemRemove removes an item.
func CollectionItemRemove(collection, item int64) string {
	return CollectionItems(collection) + "/" + id(item) + "/remove"
}

// CollectionOrder saves a new order of the items.
func CollectionOrder(collection int64) string { return Collection(collection) + "/order" }

// CollectionShare makes a new share link.
func CollectionShare(collection int64) string { return Collection(collection) + "/share" }

// CollectionUnshare stops sharing.
func CollectionUnshare(collection int64) string { return CollectionShare(collection) + "/revoke" }

// CollectAnnotation offers to add an annotation to a collection.
func CollectAnnotation(annotation int64) string {
	return "/collections/add?annotation=" + id(annotation)
}

// CollectArticle offers to add an article (or, posted with a selection,
// a passage of it) to a collection.
func CollectArticle(slug string) string { return "/collections/add?article=" + url.QueryEscape(slug) }

// CollectPassage offers to add the passage [start, end) of an article.
func CollectPassage(slug string, start, end int) string {
	return CollectArticle(slug) + "&at=" + strconv.Itoa(start) + "-" + strconv.Itoa(end)
}

// ---- Evidence ----

// Voice is an entity's page: what is said by and about it.
func Voice(entity int64) string { return "/voices/" + id(entity) }

// VoiceCSV is an entity's passages as CSV.
func VoiceCSV(entity int64) string { return Voice(entity) + ".csv" }

// VoiceAliases is where another name is added to an entity.
func VoiceAliases(entity int64) string { return Voice(entity) + "/aliases" }

// VoiceMerge merges an entity into another.
func VoiceMerge(entity int64) string { return Voice(entity) + "/merge" }

// FigureGroup is page n (from 1) of the figures that count counted in unit.
func FigureGroup(counted, unit string, n int) string {
	q := url.Values{"counted": {counted}, "unit": {unit}}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return withQuery(Figures, q)
}

// TimelineOf is page n (from 1) of the timeline, filtered by an entity's
// id and a tag ("" for none).
func TimelineOf(entity, tag string, n int) string {
	return withQuery(Timeline, timelineQuery(entity, tag, n))
}

// TimelineCSV is the timeline, filtered as TimelineOf, as CSV.
func TimelineCSV(entity, tag string) string {
	return withQuery(Timeline+".csv", timelineQuery(entity, tag, 1))
}

func timelineQuery(entity, tag string, n int) url.Values {
	q := url.Values{}
	if entity != "" {
		q.Set("entity", entity)
	}
	if tag != "" {
		q.Set("tag", tag)
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return q
}
