package db

import (
	"context"
	"time"
)

// NotificationKind says why a person is told something.
type NotificationKind string

const (
	NotifyReply           NotificationKind = "reply"            // a reply to my annotation (or in my thread)
	NotifyMention         NotificationKind = "mention"          // @[me] in a comment, reply or note
	NotifyModeration      NotificationKind = "moderation"       // my annotation hidden or shown again
	NotifyMember          NotificationKind = "member"           // someone joined a group I own
	NotifyGroupAnnotation NotificationKind = "group_annotation" // a new annotation in a group I follow
)

// Notification is one thing a person is told about, as they may see it
// now: a notification about something deleted, or no longer visible to
// them, is not listed.
type Notification struct {
	ID           int64
	Kind         NotificationKind
	ActorName    string
	ArticleSlug  string
	ArticleTitle string
	GroupID      int64
	GroupName    string
	AnnotationID int64
	NoteID       int64
	ThreadID     int64
	// Start and End are the passage of the thread's annotation (a link to
	// it); Quote its words; Excerpt the start of what was written.
	Start, End int
	Quote      string
	Excerpt    string
	Detail     string // moderation: "hide" or "unhide"
	CreatedAt  time.Time
	Read       bool
}

// NotificationPage is one page of a person's notifications.
type NotificationPage struct {
	Items  []Notification
	Unread int
	More   bool // there is a next page
}

// NotificationSettings are a person's mutes and follows.
type NotificationSettings struct {
	MutedThreads map[int64]bool
	MutedGroups  map[int64]bool
	Followed     map[int64]bool
	// Email: whether mentions and replies are emailed (when the server
	// sends email at all).
	Email bool
}

// MentionCandidate is someone who may be mentioned somewhere: they can see it.
type MentionCandidate struct {
	UserID int64
	Name   string
	// Token is what to write to mention them: @[Name], or @[Name#id] when
	// another candidate has the same name.
	Token string
}

// MentionTarget is where a mention would be written: a new annotation or
// note for an audience, or a reply to an annotation.
type MentionTarget struct {
	Visibility Visibility
	GroupID    int64
	ParentID   int64 // a reply: the annotation answered
	// AnnotationID: an annotation being edited, where it is (a reply's
	// audience is its thread's).
	AnnotationID int64
}

// Notifications: what people are told, their mutes, follows and mentions.
type Notifications interface {
	NotificationsOf(ctx context.Context, v Viewer, unreadOnly bool, page, perPage int) (NotificationPage, error)
	UnreadCount(ctx context.Context, v Viewer) (int, error)
	// NotificationByID is one of the viewer's notifications that they may
	// still see (ENOTFOUND otherwise).
	NotificationByID(ctx context.Context, v Viewer, id int64) (Notification, error)
	// MarkRead marks one notification read (id), or all of them (id 0).
	MarkRead(ctx context.Context, v Viewer, id int64) error
	MuteThread(ctx context.Context, v Viewer, annotationID int64, mute bool) error
	MuteGroup(ctx context.Context, v Viewer, groupID int64, mute bool) error
	FollowGroup(ctx context.Context, v Viewer, groupID int64, follow bool) error
	SetEmailNotifications(ctx context.Context, v Viewer, on bool) error
	NotificationSettingsOf(ctx context.Context, v Viewer) (NotificationSettings, error)
	// MentionCandidates are the people whose names start with prefix
	// (folded) who could be mentioned at target, among those the viewer
	// knows (people in their groups, and in the thread).
	MentionCandidates(ctx context.Context, v Viewer, target MentionTarget, prefix string, limit int) ([]MentionCandidate, error)
}
