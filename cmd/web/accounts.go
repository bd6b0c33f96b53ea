package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"gloss/db"
	"gloss/db/sqlstore"
)

// userCommand: web user add -email E -name N [-admin], password on stdin.
func userCommand(ctx context.Context, cfg *config, args []string, stdin io.Reader, out io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: web user add -email E -name N [-admin] (the password is read from standard input)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "the account's email address")
	name := fs.String("name", "", "the display name")
	admin := fs.Bool("admin", false, "make the account an administrator")
	if _, err := parseCommandFlags(fs, cfg, args[1:]); err != nil {
		return err
	}
	pw, err := readPassword(stdin, out)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, db.NewUser{Email: *email, Name: *name, Password: pw, Admin: *admin})
	if err != nil {
		return errors.New(db.ErrorMessage(err))
	}
	role := "user"
	if u.Admin {
		role = "administrator"
	}
	fmt.Fprintf(out, "created %s %s <%s> (id %d)\n", role, u.Name, u.Email, u.ID)
	return nil
}

// readPassword reads one line from stdin, without echo on a terminal. The
// password never comes from a flag, where it would sit in shell history
// and the process list.
func readPassword(stdin io.Reader, out io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(out, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		return string(b), err
	}
	if stdin == nil {
		return "", errors.New("the password is read from standard input, and there is none")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("the password is read from standard input: pipe it in, e.g. `printf '%s\\n' \"$PW\" | web user add ...`")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// tokenCommand: web token create -email E -name N prints a new API token.
func tokenCommand(ctx context.Context, cfg *config, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: web token create -email E -name N")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "the account the token acts for")
	name := fs.String("name", "", "what the token is for")
	if _, err := parseCommandFlags(fs, cfg, args[1:]); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.UserByEmail(ctx, *email)
	if err != nil {
		return errors.New(db.ErrorMessage(err))
	}
	raw, _, err := store.CreateAPIToken(ctx, u.ID, *name)
	if err != nil {
		return errors.New(db.ErrorMessage(err))
	}
	fmt.Fprintln(out, raw)
	return nil
}
