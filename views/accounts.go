package views

// LoginPage is the sign-in form.
type LoginPage struct {
	Form       Form
	Next       string // where to return after signing in
	SignupOpen bool
}

// SignupPage creates an account: open sign-up or an accepted invitation.
type SignupPage struct {
	Form       Form
	Title      string
	Intro      string
	Action     string // where the form posts
	EmailFixed string // an invitation's address, not editable
	Next       string
}

// AccountPage is a person's own settings.
type AccountPage struct {
	Name         string
	Email        string
	ProfileForm  Form
	PasswordForm Form
	TokenForm    Form
	Sessions     []SessionRow
	Tokens       []TokenRow
	NewToken     string // shown once, right after creation
	NewTokenName string
}

// SessionRow is one signed-in browser.
type SessionRow struct {
	ID        int64
	UserAgent string
	IP        string
	Created   string
	LastSeen  string
	Current   bool
}

// TokenRow is one API token (never its secret).
type TokenRow struct {
	ID       int64
	Name     string
	Created  string
	LastUsed string
}

// GroupsPage lists the person's groups and offers to create one.
type GroupsPage struct {
	Groups []GroupRow
	Form   Form
}

// GroupRow is a group in a list.
type GroupRow struct {
	ID          int64
	Name        string
	Description string
	Role        string
	Members     int
}

// GroupPage is one group: who is in it and, for owners, how to invite.
type GroupPage struct {
	ID           int64
	Name         string
	Description  string
	Role         string // the viewer's role, "" for an administrator who is not a member
	CanManage    bool
	Members      []MemberRow
	Invites      []InviteRow
	InviteForm   Form
	NewInviteURL string
	MailEnabled  bool     // the invite form offers to email the link (AdminPage)
	EmailedTo    []string // the addresses the new link was just queued for
	Error        string   // why the last change to members was refused
}

// MemberRow is one member; Email is shown to owners only.
type MemberRow struct {
	UserID int64
	Name   string
	Email  string
	Role   string
	Joined string
	IsSelf bool
}

// InviteRow is an open invitation.
type InviteRow struct {
	ID           int64
	Role         string
	Uses         int
	MaxUses      int
	Expires      string
	AllowsSignup bool // people without an account may make one with it
}

// AdminPage lists accounts and makes account invitations.
type AdminPage struct {
	Users        []UserRow
	InviteForm   Form
	NewInviteURL string
	// MailEnabled: Gloss can email (-smtp-url), so the form offers to
	// send the link; EmailedTo are the addresses it was just queued for.
	MailEnabled bool
	EmailedTo   []string
	Starter     StarterPanel
}

// StarterPanel is the starter set on the admin page: what it holds, or
// when it was removed, and the form that removes it.
type StarterPanel struct {
	Imported    bool
	AccountName string
	Annotations int
	Collections int
	RemovedAt   string // "" while it is there
	RemovedBy   string
	Form        Form
}

// UserRow is one account for administrators.
type UserRow struct {
	ID      int64
	Name    string
	Email   string
	Admin   bool
	Created string
}

// InvitePage answers a group invitation link.
type InvitePage struct {
	Token      string
	GroupName  string
	Role       string
	Expires    string
	SignedIn   bool
	SignupOpen bool
	// AllowsSignup: the group's owners let this link make an account; the
	// form to make one is Form.
	AllowsSignup bool
	Form         Form
}

// RoleOptions are the roles in a select, explained.
var RoleOptions = []Option{
	{Value: "member", Label: "Member: annotate, reply, tag and note"},
	{Value: "viewer", Label: "Viewer: read the group's annotations only"},
	{Value: "owner", Label: "Owner: also manage members and moderate"},
}
