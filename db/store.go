package db

// The store contract: what Gloss asks of a storage engine, as small
// interfaces by concern. Engines (db/sqlite; db/postgres) implement all of
// them, and the contract suite (db/storetest) checks that they behave
// alike. Permission rules are the Viewer's (policy.go): every method that
// takes a Viewer answers only what that viewer may see or do.

import (
	"context"
	"time"
)

// Annotations: annotations and their threads of replies, and moderation.
type Annotations interface {
	CreateAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput) (Annotation, error)
	AnnotationByID(ctx context.Context, v Viewer, id int64) (Annotation, error)
	ArticleAnnotations(ctx context.Context, v Viewer, articleID int64, f AnnotationFilter) ([]*Annotation, error)
	// MarginSpans and AnnotationThreads are ArticleAnnotations in two
	// parts: every top-level annotation, light, in the same order; the
	// full threads of the given top-level annotations only.
	MarginSpans(ctx context.Context, v Viewer, articleID int64, f AnnotationFilter) ([]MarginSpan, error)
	AnnotationThreads(ctx context.Context, v Viewer, articleID int64, ids []int64) ([]*Annotation, error)
	// MarginPosition is where annotation id (or the thread of the reply
	// id) stands among MarginSpans' spans unfiltered: its index, and
	// whether the viewer sees it on the article at all.
	MarginPosition(ctx context.Context, v Viewer, articleID, id int64) (int, bool, error)
	CreateReply(ctx context.Context, v Viewer, parentID int64, body string) (Annotation, error)
	CreateReplyFrom(ctx context.Context, v Viewer, parentID int64, body string, from Provenance) (Annotation, error)
	ReplyAudience(ctx context.Context, parentID int64) (Visibility, int64, error)
	UpdateAnnotation(ctx context.Context, v Viewer, id int64, in AnnotationUpdate) (Annotation, error)
	DeleteAnnotation(ctx context.Context, v Viewer, id int64) (Annotation, error)
	DeleteAnnotationIfUnchanged(ctx context.Context, v Viewer, id int64, since time.Time) (Annotation, error)
	SetHidden(ctx context.Context, v Viewer, id int64, hidden bool) (Annotation, error)
	ModerationLog(ctx context.Context, annotationID int64) ([]ModerationEntry, error)
	TagAnnotations(ctx context.Context, v Viewer, tag string) ([]*Annotation, error)
	ArticleCounts(ctx context.Context, v Viewer, articleIDs []int64) (map[int64]Counts, error)
	PreferencesOf(ctx context.Context, userID int64) (Preferences, error)
}

// Articles: the library: articles, their revisions and metadata.
type Articles interface {
	ImportArticle(ctx context.Context, in ArticleInput) (ImportOutcome, error)
	Articles(ctx context.Context, f ArticleFilter) ([]Article, error)
	ArticlesPage(ctx context.Context, f ArticleFilter, page, perPage int) (ArticlePage, error)
	ArticleBySlug(ctx context.Context, slug string) (Article, error)
	ArticleRevisions(ctx context.Context, articleID int64) ([]Revision, error)
	Publications(ctx context.Context) ([]string, error)
	ArticleSlugByID(ctx context.Context, id int64) (string, error)
	ArticlesTagged(ctx context.Context, tag string) ([]Article, error)
	ArticleCount(ctx context.Context) (int, error)
	ArticleIndex(ctx context.Context) (MetadataIndex, error)
}

// Backups: consistent snapshots of the whole store.
type Backups interface {
	Backup(ctx context.Context, dst string, force bool) (Snapshot, error)
	// SnapshotTo writes a checked snapshot into a new temporary directory
	// and returns it with a cleanup that removes it.
	SnapshotTo(ctx context.Context) (Snapshot, func(), error)
	// TakesBackups is nil when the engine takes snapshots, or the error
	// that says what to use instead (PostgreSQL: its own tools).
	TakesBackups() error
}

// Codebooks: the tag vocabulary: colours, descriptions, merges, group codebooks.
type Codebooks interface {
	TagsWithCounts(ctx context.Context, v Viewer) ([]TagInfo, error)
	TagColors(ctx context.Context) (map[string]int, error)
	UpdateTag(ctx context.Context, v Viewer, name string, in TagUpdate) (string, error)
	MergeTags(ctx context.Context, v Viewer, from, into string) error
	Codebook(ctx context.Context, v Viewer, groupID int64) ([]CodebookEntry, error)
	SetCodebookEntries(ctx context.Context, v Viewer, groupID int64, entries [][2]string) (int, error)
	RemoveCodebookEntry(ctx context.Context, v Viewer, groupID int64, tag string) error
}

// Collections: curated collections and their share links.
type Collections interface {
	CollectionInfo(ctx context.Context, v Viewer, id int64) (Collection, error)
	CollectionByID(ctx context.Context, v Viewer, id int64) (Collection, error)
	SharedCollection(ctx context.Context, token string) (Collection, error)
	Collections(ctx context.Context, v Viewer) ([]Collection, error)
	CreateCollection(ctx context.Context, v Viewer, in CollectionInput) (int64, error)
	CreateCollectionWith(ctx context.Context, v Viewer, in CollectionInput, item ItemInput) (int64, AddedItem, error)
	UpdateCollection(ctx context.Context, v Viewer, id int64, in CollectionInput) error
	DeleteCollection(ctx context.Context, v Viewer, id int64) (Collection, error)
	DuplicateCollection(ctx context.Context, v Viewer, id int64) (int64, error)
	AddItem(ctx context.Context, v Viewer, collectionID int64, in ItemInput) (AddedItem, error)
	UpdateItem(ctx context.Context, v Viewer, collectionID, itemID int64, in ItemUpdate) error
	MoveItem(ctx context.Context, v Viewer, collectionID, itemID int64, delta int) (int, error)
	ReorderItems(ctx context.Context, v Viewer, collectionID int64, order []int64) error
	RemoveItem(ctx context.Context, v Viewer, collectionID, itemID int64) error
	ShareCollection(ctx context.Context, v Viewer, id int64) (string, error)
	UnshareCollection(ctx context.Context, v Viewer, id int64) error
}

// Lifecycle: the store as a whole.
type Lifecycle interface {
	// Now is the store's clock, the time it stamps on what it writes.
	Now() time.Time
	Close() error
	Created() bool
	Ping(ctx context.Context) error
	SchemaVersion(ctx context.Context) (current, known int, err error)
	// View runs fn with the reads it makes through the store given fn's
	// ctx in one read transaction: one connection of the read pool, taken
	// once, and one snapshot of the data (taken at its first read). A
	// write made with fn's ctx ends the snapshot: fn's reads after it see
	// it. fn must not read on another goroutine or after it returns.
	View(ctx context.Context, fn func(ctx context.Context) error) error
}

// EvidenceStore: kinds of annotation (entities, quotes, figures, events) and the views built from them.
type EvidenceStore interface {
	CreateEvidenceAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput, ev EvidenceInput) (Annotation, error)
	AddEvidenceAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput, ev EvidenceInput) (int64, error)
	EntityByID(ctx context.Context, v Viewer, id int64) (Entity, error)
	AddAlias(ctx context.Context, v Viewer, entityID int64, alias string) error
	MergeEntity(ctx context.Context, v Viewer, from, into int64) error
	Entities(ctx context.Context, v Viewer, all bool) ([]Entity, error)
	EvidenceItems(ctx context.Context, v Viewer, f EvidenceFilter) ([]EvidenceItem, error)
	EvidenceOf(ctx context.Context, ids []int64) (map[int64]Evidence, error)
	AttachEvidence(ctx context.Context, list ...*Annotation) error
	Figures(ctx context.Context, v Viewer, f EvidenceFilter) ([]FigureGroup, error)
	EvidenceCounted(ctx context.Context, v Viewer) ([]string, error)
	EntityNames(ctx context.Context, v Viewer) ([]string, error)
	EntityChoices(ctx context.Context, v Viewer, all bool) ([]Entity, error)
}

// Exports: annotations as the CSV and Markdown exports read them.
type Exports interface {
	ExportAnnotations(ctx context.Context, v Viewer, s ExportScope) ([]ExportArticle, error)
}

// Groups: groups, their members and roles.
type Groups interface {
	CreateGroup(ctx context.Context, creatorID int64, name, description string) (Group, error)
	GroupByID(ctx context.Context, id int64) (Group, error)
	GroupsOf(ctx context.Context, userID int64) ([]Group, error)
	GroupMembers(ctx context.Context, groupID int64) ([]Member, error)
	SetMemberRole(ctx context.Context, groupID, userID int64, role Role) error
	RemoveMember(ctx context.Context, groupID, userID int64) error
	Memberships(ctx context.Context, userID int64) (map[int64]Role, error)
	SameNameIn(ctx context.Context, userID, groupID int64) ([]string, error)
	GroupOverview(ctx context.Context, v Viewer, groupID int64) (Overview, error)
}

// Invites: invitations to make an account or join a group.
type Invites interface {
	CreateInvite(ctx context.Context, in NewInvite) (string, Invite, error)
	InviteByToken(ctx context.Context, token string) (Invite, error)
	AcceptAccountInvite(ctx context.Context, token string, in NewUser) (User, error)
	AcceptGroupInvite(ctx context.Context, token string, userID int64) (Group, error)
	SignupWithGroupInvite(ctx context.Context, token string, in NewUser) (User, Group, error)
	GroupInvites(ctx context.Context, groupID int64) ([]Invite, error)
	RevokeInvite(ctx context.Context, groupID, inviteID int64) error
}

// Notes: notes about a whole article.
type Notes interface {
	CreateNote(ctx context.Context, v Viewer, articleID int64, in NoteInput) (Note, error)
	NoteByID(ctx context.Context, v Viewer, id int64) (Note, error)
	ArticleNotes(ctx context.Context, v Viewer, articleID int64, f AnnotationFilter) ([]Note, error)
	UpdateNote(ctx context.Context, v Viewer, id int64, in NoteInput) (Note, error)
	DeleteNote(ctx context.Context, v Viewer, id int64) (Note, error)
}

// Accounts: people: accounts, passwords and sign-in.
type Accounts interface {
	ViewerFor(ctx context.Context, u User) (Viewer, error)
	CreateUser(ctx context.Context, in NewUser) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	Authenticate(ctx context.Context, email, pw string) (User, error)
	UpdateUserName(ctx context.Context, id int64, name string) error
	ChangePassword(ctx context.Context, id int64, current, next, keepSID string, revokeTokens bool) (int, error)
}

// Searching: full-text search and its index.
type Searching interface {
	Search(ctx context.Context, v Viewer, q string, f SearchFilter, page, perPage int) (SearchResults, error)
	FlushSearch(ctx context.Context) error
	Reindex(ctx context.Context) (int, error)
	CheckSearchIndex(ctx context.Context) error
}

// Sessions: signed-in browser sessions (the list a person sees and revokes).
type Sessions interface {
	CreateUserSession(ctx context.Context, userID int64, userAgent, ip string) (string, error)
	UserBySession(ctx context.Context, userID int64, sid string) (User, error)
	UserSessions(ctx context.Context, userID int64) ([]UserSession, error)
	RevokeUserSession(ctx context.Context, userID, id int64) error
	EndUserSession(ctx context.Context, sid string) error

	// The session manager's own storage (scs.Store): a session's encoded
	// data by a key (the hash of its cookie's token), until it expires.
	FindSession(key string) (data []byte, found bool, err error)
	CommitSession(key string, data []byte, expiry time.Time) error
	DeleteSession(key string) error
}

// Throttles: the sign-in throttles' counts, kept where every instance of
// Gloss on one database sees them (handlers/throttle.go gives them their
// meaning).
type Throttles interface {
	// Throttle passes key's counts (zero for a key it does not hold) to
	// change and stores what change leaves, in one write that no other
	// write, from this instance or another, interleaves with. change
	// returns when the counts may be forgotten: at or before now, at once.
	// It may run more than once if the write must be retried, so it must
	// not act on anything but the counts.
	Throttle(ctx context.Context, key string, change func(c *ThrottleCounts, now time.Time) (forget time.Time)) error
}

// ThrottleCounts are one key's sign-in throttle counts.
type ThrottleCounts struct {
	Failures int       // failed checks since the last success
	Inflight int       // checks reserved and not yet ended
	Tokens   float64   // what is left of an address's budget
	Until    time.Time // locked until
	At       time.Time // last changed
}

// Starter: the starter set of evidence for the seed corpus.
type Starter interface {
	ImportStarter(ctx context.Context, set StarterSet) (StarterReport, error)
	RemoveStarter(ctx context.Context, v Viewer) (StarterRemoval, error)
	StarterStatus(ctx context.Context) (StarterStatus, error)
}

// SuggestionStore: what each person dismissed of the evidence Gloss
// suggests in an article (the suggestions are computed, never stored), and
// what suggestions are checked against.
type SuggestionStore interface {
	// DismissSuggestions remembers that the viewer dismissed these
	// suggestions (by suggest.Key) in the article; again is no change.
	DismissSuggestions(ctx context.Context, v Viewer, articleID int64, keys []string) error
	// RestoreSuggestions forgets the viewer's dismissals in the article
	// and says how many there were.
	RestoreSuggestions(ctx context.Context, v Viewer, articleID int64) (int, error)
	DismissedSuggestions(ctx context.Context, v Viewer, articleID int64) (map[string]bool, error)
	// EvidenceSpans lists the annotations with a kind on the article that
	// the viewer may read, top-level and anchored, as evidence lists do.
	EvidenceSpans(ctx context.Context, v Viewer, articleID int64) ([]EvidenceSpan, error)
	// KnownEntities lists the entities the viewer sees (as EntityChoices),
	// with their aliases, without counting mentions.
	KnownEntities(ctx context.Context, v Viewer) ([]Entity, error)
}

// Tags: tags on annotations and on articles.
type Tags interface {
	TagArticle(ctx context.Context, v Viewer, articleID int64, list string) error
	UntagArticle(ctx context.Context, v Viewer, articleID int64, tag string) error
	ArticleTags(ctx context.Context, articleID int64) ([]ArticleTag, error)
	VisibleTags(ctx context.Context, v Viewer) ([]string, error)
}

// Tokens: personal API tokens.
type Tokens interface {
	CreateAPIToken(ctx context.Context, userID int64, name string) (string, APIToken, error)
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, tokenID int64) error
	UserByAPIToken(ctx context.Context, raw string) (User, error)
}

// Exchange: what the annotation protocol and the exchange of whole files
// (handlers/w3c) read and write, in domain values.
type Exchange interface {
	ArticleRefBySlug(ctx context.Context, slug string) (ArticleRef, error)
	AnnotationsPage(ctx context.Context, v Viewer, articleID int64, offset, limit int) ([]*Annotation, int, error)
	ExportFlat(ctx context.Context, v Viewer, s ExportScope) (FlatExport, error)
	ImportAnnotations(ctx context.Context, v Viewer, items []ImportItem, opts ImportOptions) (ImportReport, error)
}

// Store is every concern at once: what the web side holds.
type Store interface {
	Activity
	Annotations
	Articles
	Backups
	Codebooks
	Collections
	Lifecycle
	EvidenceStore
	EventLog
	Exports
	Groups
	Invites
	Mail
	Notes
	Notifications
	Accounts
	Searching
	Sessions
	Starter
	SuggestionStore
	Tags
	Throttles
	Tokens
	Exchange
}
