package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSystemdUnits checks packaging/'s units with systemd's own tools:
// `systemd-analyze verify` must say nothing, and each service's exposure
// (`systemd-analyze security`) must stay at 2.5 or below ("OK"). Verify
// insists that ExecStart's binary exists: the copies it reads run this test
// binary in the place of /usr/local/bin/web.
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian: apt-get install systemd): the units are not checked")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	units, _ := filepath.Glob(filepath.Join("..", "..", "packaging", "gloss*.*"))
	if len(units) < 3 {
		t.Fatalf("packaging holds %v, want gloss.service, gloss-backup.service and gloss-backup.timer", units)
	}
	dir := t.TempDir()
	var copies, services []string
	for _, u := range units {
		b, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(u))
		if err := os.WriteFile(dst, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/web", exe)), 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, dst)
		if strings.HasSuffix(u, ".service") {
			services = append(services, dst)
		}
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, copies...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	for _, s := range services {
		out, err := exec.Command(analyze, "security", "--offline=true", "--threshold=25", "--no-pager", s).CombinedOutput()
		score := regexp.MustCompile(`Overall exposure level for \S+: (\S+ \S+)`).FindSubmatch(out)
		if err != nil || score == nil {
			t.Errorf("systemd-analyze security %s: %v (exposure %q, want 2.5 or less)\n%s", filepath.Base(s), err, score, out)
			continue
		}
		t.Logf("%s: exposure %s", filepath.Base(s), score[1])
	}
}

// TestDockerfile checks what the Dockerfile must do (a build stage and a
// small final one, a static binary, an unprivileged user, a volume for
// the data, a health check), and lints it with dockerfilelint when it is
// installed (npm install -g dockerfilelint; hadolint is in neither Debian
// nor npm as a binary).
func TestDockerfile(t *testing.T) {
	path := filepath.Join("..", "..", "Dockerfile")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	for what, re := range map[string]string{
		"a build stage":                   `(?m)^FROM golang:\S+ AS build$`,
		"a final stage from scratch":      `(?m)^FROM scratch$`,
		"a static binary":                 `CGO_ENABLED=0 go build`,
		"an unprivileged user":            `(?m)^USER [1-9][0-9]*:[1-9][0-9]*$`,
		"the database in a volume":        `(?m)^VOLUME \["/data"\]$`,
		"GLOSS_DB in the volume":          `GLOSS_DB=/data/gloss.db`,
		"a health check by the binary":    `(?m)^HEALTHCHECK .*\n\s+CMD \["/usr/local/bin/web", "healthcheck"\]$`,
		"the binary as the entry point":   `(?m)^ENTRYPOINT \["/usr/local/bin/web"\]$`,
		"root certificates (for ACME)":    `ca-certificates\.crt`,
		"a temporary directory (backups)": `TMPDIR=/tmp`,
	} {
		if !regexp.MustCompile(re).MatchString(df) {
			t.Errorf("the Dockerfile lacks %s (%s)", what, re)
		}
	}
	lint, err := exec.LookPath("dockerfilelint")
	if err != nil {
		t.Log("dockerfilelint is not installed: the Dockerfile is not linted")
		return
	}
	if out, err := exec.Command(lint, path).CombinedOutput(); err != nil {
		t.Errorf("dockerfilelint: %v\n%s", err, out)
	}
}
