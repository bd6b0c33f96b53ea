package main

// Browser tests of importing an article, exporting annotations and the
// backup page, as an administrator does them, with axe on every page.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserImportExportBackup(t *testing.T) {
	g := startGloss(t)
	grace := g.person("Grace Hopper", "grace@example.org", true)
	admin := g.tab()
	signIn(admin, grace)

	page := `<html><head><title>Letters from Yanji</title><meta name="author" content="A. Reporter">
<meta property="og:site_name" content="The Example"><meta name="date" content="2003-05-06"></head>
<body><nav>Menu</nav><h1>Letters from Yanji</h1><p>The first letter arrived in spring.</p><p>The second did not.</p></body></html>`
	file := filepath.Join(t.TempDir(), "letters.html")
	if err := os.WriteFile(file, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}

	admin.subtest("Import", func(t *testing.T) {
		admin.navigate("/admin")
		admin.clickAndLoad(`a[href="/import"]`)
		checkPage(admin, "import", "import")

		// Nothing chosen: the form comes back with the reason.
		admin.expectRefusal("/import")
		admin.clickAndLoad(`[data-testid="import-form"] button[type="submit"]`)
		if got := admin.text(`[data-testid="form-error"]`); !strings.Contains(got, "Choose a file") {
			t.Errorf("refusal %q", got)
		}
		checkPage(admin, "import (refused)", "import-refused")

		admin.run(chromedp.SetUploadFiles(`#f-file`, []string{file}))
		admin.clickAndLoad(`[data-testid="import-form"] button[type="submit"]`)
		if got := value(admin, chromedp.Value(chromedp.CSS(`#f-title`))); got != "Letters from Yanji" {
			t.Errorf("suggested title %q", got)
		}
		if got := value(admin, chromedp.Value(chromedp.CSS(`#f-slug`))); got != "letters-from-yanji" {
			t.Errorf("suggested slug %q", got)
		}
		checkPage(admin, "import review", "import-review")
		admin.run(chromedp.SetValue(chromedp.CSS(`#f-dek`), "Two letters"))
		admin.clickAndLoad(`[data-testid="review-form"] button[type="submit"]`)
		if got := admin.path(); got != "/articles/letters-from-yanji" {
			t.Fatalf("after saving: %s", got)
		}
		a, err := g.store.ArticleBySlug(context.Background(), "letters-from-yanji")
		if err != nil {
			t.Fatal(err)
		}
		if a.Body != "The first letter arrived in spring.\n\nThe second did not.\n" || a.Dek != "Two letters" || a.PublishedOn != "2003-05-06" {
			t.Errorf("stored %q, dek %q, date %q", a.Body, a.Dek, a.PublishedOn)
		}
		if !admin.has(`[data-testid="export-links"] a[href="/articles/letters-from-yanji/export.csv"]`) {
			t.Error("the reader offers no export")
		}
	})

	admin.subtest("Exports", func(t *testing.T) {
		admin.navigate("/account")
		admin.clickAndLoad(`a[href="/export"]`)
		checkPage(admin, "exports", "exports")
	})

	admin.subtest("Backup", func(t *testing.T) {
		admin.navigate("/admin")
		admin.clickAndLoad(`a[href="/admin/backup"]`)
		checkPage(admin, "backup", "backup")
		if !admin.has(`[data-testid="download-backup"][href="/admin/backup/download"]`) {
			t.Error("no download link")
		}
	})
}
