package main

// Browser tests of working together live: a teacher and a student, each
// in a browser context of their own, on one article. What the student
// writes appears on the teacher's page without a reload when, and only
// when, the teacher may see it; the page does not move; the bell counts;
// @ offers the people who can see the text, and a mention of someone who
// cannot is refused before saving.

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

// liveWait waits for expr to hold: longer than soon, because a change
// crosses two pages and a server here (a busy machine must not fail it;
// the test asserts no time).
func liveWait(b *tab, expr, what string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// comment writes a comment on a passage through the reader's typed form
// (the form every reader has), for an audience.
func comment(b *tab, passage, body, visibility string, group int64) {
	b.t.Helper()
	if !eval[bool](b, `document.getElementById('annotate').open`) {
		b.run(chromedp.Click(chromedp.CSS(`#annotate > summary`)))
	}
	b.run(chromedp.SetValue(chromedp.CSS(`#f-exact`), passage))
	b.run(chromedp.SetValue(chromedp.CSS(`#f-body`), body))
	b.run(chromedp.SetValue(chromedp.CSS(`#a-visibility`), visibility))
	if group != 0 {
		b.run(chromedp.SetValue(chromedp.CSS(`#a-group`), strconv.FormatInt(group, 10)))
	}
	b.run(chromedp.Click(chromedp.CSS(`#annotate-form button[type="submit"]:not([formaction])`)))
}

// cardWith is JavaScript: whether a card in the margin says text.
func cardWith(text string) string {
	return `[...document.querySelectorAll('#cards [data-testid="card"]')].some(c => c.textContent.includes(` + strconv.Quote(text) + `))`
}

func TestBrowserLive(t *testing.T) {
	g := startGloss(t)
	ctx := context.Background()
	teacherP := g.person("Teacher Tan", "teacher@example.org", false)
	studentP := g.person("Student Sam", "student@example.org", false)
	g.person("Outsider Olu", "outsider@example.org", false)
	class, err := g.store.CreateGroup(ctx, teacherP.ID, "Class", "")
	if err != nil {
		t.Fatal(err)
	}
	token, _, _ := g.store.CreateInvite(ctx, db.NewInvite{GroupID: class.ID, Role: db.RoleMember, CreatedBy: teacherP.ID})
	if _, err := g.store.AcceptGroupInvite(ctx, token, studentP.ID); err != nil {
		t.Fatal(err)
	}

	// The student's joining told the teacher; read, so the bell starts at 0.
	if err := g.store.MarkRead(ctx, db.Viewer{UserID: teacherP.ID}, 0); err != nil {
		t.Fatal(err)
	}
	teacher := g.tab()
	signIn(teacher, teacherP)
	student := g.tab()
	signIn(student, studentP)
	teacher.navigate(refugeesPath)
	student.navigate(refugeesPath)
	for _, b := range []*tab{teacher, student} {
		liveWait(b, `document.getElementById('live-status').dataset.state === 'live'`, "the page did not go live")
	}

	teacher.subtest("WhoIsHere", func(t *testing.T) {
		liveWait(teacher, `!document.getElementById('presence').hidden`, "the teacher is not told the student is reading")
		if got := teacher.text(`#presence-toggle`); got != "1 person from your groups is reading this" {
			t.Errorf("presence says %q", got)
		}
		teacher.run(chromedp.Click(chromedp.CSS(`#presence-toggle`)))
		if got := teacher.texts(`#presence-names li`); len(got) != 1 || got[0] != "Student Sam" {
			t.Errorf("names %v", got)
		}
		checkPage(teacher, "live reader", "live-reader")
	})

	teacher.subtest("GroupCommentAppearsInPlace", func(t *testing.T) {
		// The teacher reads further down, with the focus in the text.
		teacher.run(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 400); document.getElementById('article-text').focus({preventScroll: true})`))
		before := eval[float64](teacher, `window.scrollY`)
		comment(student, "deprivation and political oppression", "Why here?", "group", class.ID)
		liveWait(teacher, cardWith("Why here?"), "the student's group comment did not appear for the teacher")
		if after := eval[float64](teacher, `window.scrollY`); after != before {
			t.Errorf("the page moved from %v to %v", before, after)
		}
		if id := eval[string](teacher, `document.activeElement.id`); id != "article-text" {
			t.Errorf("the focus moved to %q", id)
		}
		liveWait(teacher, `document.getElementById('reader-status').textContent.includes('Student Sam added an annotation.')`, "nothing was announced")
		if n := teacher.text(`#annotation-count`); n != "1" {
			t.Errorf("the count says %s", n)
		}
	})

	teacher.subtest("PointerOnTheTextKeepsIt", func(t *testing.T) {
		// The teacher points at the group comment's highlight and presses
		// (a drag starting) as another change arrives: the text under the
		// pointer is left as it is until the press ends, and a paragraph
		// the change did not touch is never replaced (it would end a
		// drag across it, and lose the highlight's hover).
		m := `document.querySelector('#article-text mark[data-ids]')`
		teacher.run(chromedp.Evaluate[chromedp.Void](m + `.scrollIntoView({block: 'center'}); ` + m + `.__kept = true`))
		x, y := center(teacher, `#article-text mark[data-ids]`)
		teacher.run(
			chromedp.MouseEvent(chromedp.MouseMoved, x, y),
			chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1), leftHeld),
		)
		comment(student, "economic deprivation from political persecution", "Is this the line?", "group", class.ID)
		liveWait(teacher, cardWith("Is this the line?"), "the student's comment did not appear for the teacher")
		passage := `[...document.querySelectorAll('#article-text mark')].some(m => m.textContent.includes('political persecution'))`
		if eval[bool](teacher, passage) {
			t.Error("the text changed under the teacher's press")
		}
		teacher.run(chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		liveWait(teacher, passage, "the text did not catch up once the press ended")
		if !eval[bool](teacher, m+`.__kept === true`) {
			t.Error("the highlight under the pointer, in a paragraph the change did not touch, was drawn again")
		}
	})

	teacher.subtest("PrivateStaysPrivate", func(t *testing.T) {
		comment(student, "nuclear politics", "Only for me", "private", 0)
		liveWait(student, cardWith("Only for me"), "the student's private comment was not saved")
		comment(student, "forced labor", "For everyone", "public", 0)
		liveWait(teacher, cardWith("For everyone"), "the public comment did not appear")
		if eval[bool](teacher, cardWith("Only for me")) {
			t.Error("the student's private comment reached the teacher")
		}
	})

	teacher.subtest("DeletionDisappears", func(t *testing.T) {
		student.run(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#cards [data-testid="card"]')].find(c => c.textContent.includes('For everyone')).querySelector('form[data-undo] button').click()`))
		liveWait(teacher, `!(`+cardWith("For everyone")+`)`, "the deleted comment stayed on the teacher's page")
	})

	var mine int64
	teacher.subtest("BellCountsAReply", func(t *testing.T) {
		a, err := g.store.CreateAnnotation(ctx, db.Viewer{UserID: teacherP.ID, Roles: map[int64]db.Role{class.ID: db.RoleOwner}},
			mustArticleID(t, g, "help-the-refugees-who-reach-china"), db.AnnotationInput{Start: -1, End: -1, Exact: "illegal economic migrants", Body: "Discuss.", Visibility: "group", Group: strconv.FormatInt(class.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		mine = a.ID
		liveWait(student, cardWith("Discuss."), "the teacher's comment did not reach the student")
		sel := `#reply-form-` + strconv.FormatInt(mine, 10)
		student.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('` + sel + `').closest('details').open = true`))
		student.run(chromedp.SetValue(chromedp.CSS(sel+` textarea`), "I think it is a choice."))
		student.run(chromedp.Click(chromedp.CSS(sel + ` button[type="submit"]`)))
		liveWait(teacher, `!document.getElementById('bell-count').hidden && document.getElementById('bell-count').textContent === '1'`, "the teacher's bell did not count the reply")
		if got := teacher.text(`#bell`); got != "1" || eval[string](teacher, `document.getElementById('bell').getAttribute('aria-label')`) != "Notifications, 1 unread" {
			t.Errorf("bell %q", got)
		}
		liveWait(teacher, `document.getElementById('reader-status').textContent.includes('Student Sam replied to your comment.')`, "the reply was not announced as one to the teacher")
	})

	student.subtest("MentionAutocompletes", func(t *testing.T) {
		sel := `#reply-form-` + strconv.FormatInt(mine, 10) + ` textarea`
		student.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('` + sel + `').closest('details').open = true`))
		student.run(chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), "Ask @Tea"))
		liveWait(student, `!document.getElementById('mention-list').hidden && document.getElementById('mention-list').textContent.includes('Teacher Tan')`, "@ offered nobody")
		if got := student.texts(`#mention-list li`); len(got) != 1 {
			t.Errorf("@ offered %v", got)
		}
		student.run(chromedp.SendKeys(chromedp.CSS(sel), kb.Enter))
		if got := value(student, chromedp.Value(chromedp.CSS(sel))); got != "Ask @[Teacher Tan] " {
			t.Errorf("the reply reads %q", got)
		}
		student.axe("mention menu")
	})

	student.subtest("MentionOfAnOutsiderRefused", func(t *testing.T) {
		student.expectRefusal(refugeesPath + "/annotations")
		comment(student, "suffer in isolation and silence", "See @[Outsider Olu]", "group", class.ID)
		waitSoon(student, `document.querySelector('#annotate-form [data-testid="form-error"]') !== null`, "the mention of an outsider was not refused")
		if got := student.text(`#annotate-form [data-testid="form-error"]`); !strings.Contains(got, "Outsider Olu") {
			t.Errorf("the refusal says %q", got)
		}
		if got := value(student, chromedp.Value(chromedp.CSS("#f-body"))); got != "See @[Outsider Olu]" {
			t.Errorf("what was typed is not kept: %q", got)
		}
	})

	teacher.subtest("NotificationsPage", func(t *testing.T) {
		teacher.navigate("/notifications")
		if got := teacher.texts(`[data-testid="notification-link"]`); len(got) == 0 || !strings.HasPrefix(got[0], "Student Sam replied to you on") {
			t.Fatalf("notifications %v", got)
		}
		checkPage(teacher, "notifications", "notifications")
		teacher.clickAndLoad(`[data-testid="notification-link"]`)
		if p := teacher.path(); !strings.HasPrefix(p, refugeesPath+"?at=") {
			t.Errorf("the notification led to %s", p)
		}
		liveWait(teacher, `document.getElementById('bell-count').hidden`, "the bell still counts a notification that was read")
	})
}

func mustArticleID(t *testing.T, g *gloss, slug string) int64 {
	t.Helper()
	a, err := g.store.ArticleBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
