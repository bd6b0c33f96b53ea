package main

// Browser tests of issue 15's page findings: the Copy buttons beside links
// shown once (finding 25), and the presentation's keys and slide headings
// (finding 26).

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

// TestBrowserCopyButtons (finding 25): an owner makes an invitation link;
// the Copy button beside it (hidden without JavaScript) puts the link on the
// clipboard and says so; the page passes axe.
func TestBrowserCopyButtons(t *testing.T) {
	c := newClassroom(t)
	b := c.tab()
	signIn(b, c.erin)
	// Let the page write and read the clipboard, as a person's click would.
	b.run(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := cdp.Call(ctx, target, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
				Permission: &cdpbrowser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
				Setting:    cdpbrowser.PermissionSettingGranted, Origin: c.base,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			}); err != nil {
				return err
			}
		}
		return nil
	}))
	b.navigate("/groups/" + strconv.FormatInt(c.group.ID, 10))
	b.typeInto("#f-uses", "0")
	b.clickAndLoad(`form[action$="/invites"] button[type="submit"]`)
	link := b.text(`[data-testid="invite-url"] code`)
	if !regexp.MustCompile(`/invites/inv_`).MatchString(link) {
		t.Fatalf("invitation link %q", link)
	}
	if !eval[bool](b, `!document.querySelector('[data-testid="invite-url"] button[data-copy]').hidden`) {
		t.Fatal("the Copy button stays hidden with JavaScript")
	}
	b.run(chromedp.Click(chromedp.CSS(`[data-testid="invite-url"] button[data-copy]`)))
	waitSoon(b, `document.querySelector('[data-testid="invite-url"] button[data-copy]').textContent.startsWith('Copied')`, "the button did not say Copied")
	got := value(b, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if got != link {
		t.Errorf("the clipboard holds %q, want the link %q", got, link)
	}
	checkPage(b, "group (invitation link with Copy)", "group-copy")
}

// TestBrowserPresentationKeys (finding 26): Space goes on and Shift+Space
// back; on a passage's slide the quoted words outweigh the article's title,
// and the only numbering is the slide's; Escape leaves for the Exit page.
func TestBrowserPresentationKeys(t *testing.T) {
	c := newClassroom(t)
	ctx := context.Background()
	erin, err := c.store.ViewerFor(ctx, c.erin.User)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := c.store.CreateCollectionWith(ctx, erin, db.CollectionInput{Title: "Counting refugees", Group: strconv.FormatInt(c.group.ID, 10)},
		db.ItemInput{Kind: "text", Heading: "How many are there?", Commentary: "Read the estimates."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.store.AddItem(ctx, erin, id, db.ItemInput{AnnotationID: c.samPublic, Commentary: "Read it aloud."}); err != nil {
		t.Fatal(err)
	}
	b := c.tab()
	signIn(b, c.erin)
	base := "/collections/" + strconv.FormatInt(id, 10)
	b.navigate(base + "/present/1")
	at := func(n int, how string) {
		t.Helper()
		waitSoon(b, `location.pathname === '`+base+`/present/`+strconv.Itoa(n)+`'`, how+" did not lead to slide "+strconv.Itoa(n))
	}
	pressKey(b, " ")
	at(2, "Space")
	pressKey(b, " ")
	at(3, "Space again")
	pressKey(b, " ", chromedp.ModifierShift)
	at(2, "Shift+Space")
	pressKey(b, " ")
	at(3, "Space")

	// The passage's slide: one numbering, and the words first.
	if got := b.text(`[data-testid="slide"] .kicker`); regexp.MustCompile(`\d`).MatchString(got) || got != "Passage from" {
		t.Errorf("the passage slide's kicker says %q beside %q", got, b.text(`[data-testid="slide-number"]`))
	}
	sizes := eval[[]float64](b, `[document.querySelector('[data-testid="slide"] h1'), document.querySelector('[data-testid="slide"] [data-testid="passage-text"]')]
		.map(e => parseFloat(getComputedStyle(e).fontSize))`)
	if len(sizes) != 2 || sizes[1] <= sizes[0] {
		t.Errorf("on the passage's slide the title is %vpx and the quoted passage %vpx: the passage must be the larger", sizes[0], sizes[1])
	}
	if w := eval[string](b, `getComputedStyle(document.querySelector('[data-testid="slide"] h1')).fontWeight`); w == "700" || w == "bold" {
		t.Errorf("the article's title on the passage's slide is bold (%s)", w)
	}
	checkPage(b, "presentation: a passage (issue 15)", "present-passage-weights")

	// Escape leaves for the Exit link's page.
	exit := eval[string](b, `document.querySelector('[data-testid="exit-slides"]').getAttribute('href')`)
	value(b, chromedp.WaitEvent(page.LoadEventFired, nil, typeKeys(kb.Escape)))
	if got := b.path(); got != exit {
		t.Errorf("Escape led to %q, want the Exit page %q", got, exit)
	}
	if !strings.HasPrefix(exit, base) {
		t.Errorf("Exit leads to %q", exit)
	}
}

// TestBrowserInviteByEmail: with email set up, the administrator's and a
// group owner's invitation forms send the link to addresses typed there,
// say so beside the link, and pass axe and a phone's width.
func TestBrowserInviteByEmail(t *testing.T) {
	// Nothing listens at the SMTP address: the messages wait in the
	// outbox, which is all the pages need.
	g := startGloss(t, "-smtp-url", "smtp://127.0.0.1:9", "-mail-from", "gloss@example.org", "-public-url", "http://gloss.example.org")
	admin := g.person("Ada Admin", "ada@example.org", true)
	erin := g.person("Erin Educator", "erin@example.org", false)
	group, err := g.store.CreateGroup(context.Background(), erin.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}

	b := g.tab()
	signIn(b, admin)
	b.navigate("/admin")
	b.typeInto("#f-email", "newcomer@example.org")
	b.run(chromedp.Click(chromedp.CSS("#f-send")))
	b.clickAndLoad(`form[action="/admin/invites"] button[type="submit"]`)
	if got := b.text(`[data-testid="invite-emailed"]`); !strings.Contains(got, "newcomer@example.org") {
		t.Errorf("the admin page says %q", got)
	}
	checkPage(b, "admin (invitation emailed)", "admin-invite-emailed")

	o := g.tab()
	signIn(o, erin)
	o.navigate("/groups/" + strconv.FormatInt(group.ID, 10))
	o.typeInto("#f-uses", "3")
	o.typeInto("#f-emails", "sam@example.org, tess@example.org")
	o.clickAndLoad(`form[action$="/invites"] button[type="submit"]`)
	if got := o.text(`[data-testid="invite-emailed"]`); got != "Emailed to sam@example.org, tess@example.org. The link is also here, shown only now." {
		t.Errorf("the group page says %q", got)
	}
	checkPage(o, "group (invitation emailed)", "group-invite-emailed")
	o.typeInto("#f-emails", "not an address")
	o.expectRefusal("/groups/" + strconv.FormatInt(group.ID, 10) + "/invites")
	o.clickAndLoad(`form[action$="/invites"] button[type="submit"]`)
	if got := o.text(`#f-emails-error`); !strings.Contains(got, `"not an address" is not an email address`) {
		t.Errorf("a bad address says %q", got)
	}
	checkPage(o, "group (a refused address)", "group-invite-refused")
}
