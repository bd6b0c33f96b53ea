package views

// NotificationsPage is /notifications: what a person is told, and what
// they chose to hear.
type NotificationsPage struct {
	Items      []NotificationItem
	Unread     int
	UnreadOnly bool
	Prev, Next string // the pages before and after ("" for none)
	Groups     []NotificationGroup
	// MutedThreads are the threads muted, each a link to its annotation.
	MutedThreads []int64
	// Email: the server sends email (EmailAvailable) and the person wants it.
	EmailAvailable, Email bool
}

// NotificationItem is one notification as listed.
type NotificationItem struct {
	ID      int64
	Text    string // "Ana replied to your comment on …"
	Excerpt string
	Quote   string
	Open    string // marks it read and goes to what it is about
	When    string
	Unread  bool
	// MuteThread and MuteGroup, when not 0, are what it can mute.
	MuteThread int64
	MuteGroup  int64
	GroupName  string
}

// NotificationGroup is a group with what its member hears of it.
type NotificationGroup struct {
	ID              int64
	Name            string
	Muted, Followed bool
}

// ProfilePage is a person's page: their name, and the groups the viewer
// shares with them.
type ProfilePage struct {
	Name   string
	Shared []Option
	Self   bool
}

// MentionSuggestion is one person the @ menu offers.
type MentionSuggestion struct {
	Name  string `json:"name"`
	Token string `json:"token"`
}

// ActivityPage is a group's live activity page, for its owners.
type ActivityPage struct {
	GroupID    int64
	GroupName  string
	Items      []ActivityEntry
	Members    []Option
	Articles   []Option
	Member     string // the filters in force
	Article    string
	Prev, Next string
	Events     string // the live stream
	Since      int64
}

// ActivityEntry is one thing written in the group.
type ActivityEntry struct {
	ID      string // "a-12", "n-3"
	Who     string
	What    string // "commented on", "replied on", "highlighted", "wrote a note on"
	Article string
	Quote   string
	Excerpt string
	Href    string
	When    string
	Hidden  bool
}
