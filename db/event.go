package db

// Events: what changed, stored with the change. Every write that changes
// what a page shows appends an Event in its own transaction (the store's
// EventLog); a Broker wakes after each commit, reads the new events and
// hands each to the subscribers of its topics. Live pages, notifications'
// counts and caches follow them; who may hear of an event is decided when
// it is delivered (Viewer.HearsOf, policy.go).

import (
	"context"
	"strconv"
	"time"
)

// EventKind says what happened.
type EventKind string

// The kinds of event. Together they cover every change to what a reader
// page shows (annotations, replies, their tags and kinds, moderation,
// visibility, notes, the article's tags and text, names), to a person's
// notifications and rights (groups, sessions), and to group activity.
const (
	AnnotationCreated  EventKind = "annotation.created" // a reply too (it has a parent in its audience)
	AnnotationUpdated  EventKind = "annotation.updated" // body, tags, kind or audience
	AnnotationDeleted  EventKind = "annotation.deleted" // with its replies
	AnnotationHidden   EventKind = "annotation.hidden"
	AnnotationUnhidden EventKind = "annotation.unhidden"
	NoteCreated        EventKind = "note.created"
	NoteUpdated        EventKind = "note.updated"
	NoteDeleted        EventKind = "note.deleted"
	ArticleCreated     EventKind = "article.created"
	ArticleRevised     EventKind = "article.revised" // a new revision: annotations re-anchored
	ArticleTagged      EventKind = "article.tagged"  // its tags added or removed
	TagChanged         EventKind = "tag.changed"     // renamed, merged, recoloured (everywhere)
	EntityChanged      EventKind = "entity.changed"  // an alias added, two merged (everywhere)
	StarterChanged     EventKind = "starter.changed" // the starter set imported or removed
	UserRenamed        EventKind = "user.renamed"
	MemberAdded        EventKind = "group.member_added"
	MemberRoleChanged  EventKind = "group.member_role"
	MemberRemoved      EventKind = "group.member_removed"
	SessionEnded       EventKind = "session.ended" // signed out, revoked, a password change, a token revoked
	NotificationsMoved EventKind = "notifications.changed"
	// SuggestionsChanged: a person dismissed or restored suggestions in an
	// article (UserID; the article's readers are not told: dismissals are
	// the person's alone).
	SuggestionsChanged EventKind = "suggestions.changed"
	// CollectionChanged: a collection's title, introduction, items or
	// links changed (UserID and ActorID: who changed it; its readers are
	// not told: a shared page is read again on the next request).
	CollectionChanged EventKind = "collection.changed"
)

// Event is one stored change. The ids say what it is about; the topics
// (Topics) who follows it. Audience is what the thread rule needs to know
// of the annotation (or note) after the change, AudienceBefore before it:
// a viewer hears of a change to what they could see before or can see now.
type Event struct {
	Seq            int64
	Kind           EventKind
	ArticleID      int64
	GroupID        int64
	UserID         int64
	AnnotationID   int64
	NoteID         int64
	ActorID        int64
	ActorName      string
	Audience       []ThreadItem
	AudienceBefore []ThreadItem
	At             time.Time
}

// Topic names a stream of events: an article's, a group's, a person's, or
// the whole site's.
type Topic string

// SiteTopic carries events about everything (a tag renamed everywhere).
const SiteTopic Topic = "site"

func ArticleTopic(id int64) Topic { return Topic("article:" + strconv.FormatInt(id, 10)) }
func GroupTopic(id int64) Topic   { return Topic("group:" + strconv.FormatInt(id, 10)) }
func UserTopic(id int64) Topic    { return Topic("user:" + strconv.FormatInt(id, 10)) }

// Topics are the streams an event goes to: its article's, its group's and
// its person's; one about none of them goes to the whole site.
func (e Event) Topics() []Topic {
	var out []Topic
	if e.ArticleID != 0 {
		out = append(out, ArticleTopic(e.ArticleID))
	}
	if e.GroupID != 0 {
		out = append(out, GroupTopic(e.GroupID))
	}
	if e.UserID != 0 {
		out = append(out, UserTopic(e.UserID))
	}
	if len(out) == 0 {
		out = append(out, SiteTopic)
	}
	return out
}

// EventLog is the stored events, as the store keeps them.
type EventLog interface {
	// EventsAfter returns up to limit events with Seq > after, in order.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
	// EventBounds says up to which Seq events may have been pruned (a
	// stream further behind cannot catch up) and the last Seq stored.
	EventBounds(ctx context.Context) (pruned, last int64, err error)
	// PruneEvents deletes events older than before, keeping at least the
	// newest keep, and returns how many went.
	PruneEvents(ctx context.Context, before time.Time, keep int) (int64, error)
	// EventsCommitted is signalled (never blocking, coalesced) after each
	// commit that stored events, and closed when the store closes.
	EventsCommitted() <-chan struct{}
	// EventWaker hears of the events other instances on the same database
	// store (PostgreSQL); nil when this process's commits are all there is
	// (SQLite: one process writes).
	EventWaker() EventWaker
}

// EventWaker tells a broker that events may have been stored by any
// instance sharing the database, so that it reads the log: what is new is
// always read from the log, never taken from the wake-up, so a wake-up
// missed or repeated costs nothing but latency.
type EventWaker interface {
	// Wakes is signalled (never blocking, coalesced) after another
	// instance's commit stored events, and after the waker lost its
	// connection and found it again (events may have come meanwhile).
	// The first call starts the waker; the channel is closed when it stops.
	Wakes() <-chan struct{}
}

// Broker fans events out by topic. It works from the log: woken by
// Publish (after a commit here, or a notice from another instance), it
// reads the events after the last it handed out and gives each to the
// subscribers of its topics, so every subscriber sees events in Seq order,
// each once.
type Broker interface {
	// Publish says new events were stored.
	Publish()
	// Subscribe follows topics from now on: the subscription gets every
	// event after its Since that has one of them.
	Subscribe(topics ...Topic) Subscription
}

// Subscription is one follower of topics.
type Subscription interface {
	// Since is the Seq the subscription starts after.
	Since() int64
	// Events delivers the events, in order. One event is shared by every
	// subscriber it goes to: read it, never change it.
	Events() <-chan *Event
	// Lagged is closed when the subscriber fell too far behind and events
	// were dropped for it: it must start again (and say so to its client).
	Lagged() <-chan struct{}
	// Close ends the subscription.
	Close()
}
