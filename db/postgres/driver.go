package postgres

import (
	"context"
	"database/sql/driver"
	"strings"
	"unicode/utf8"
)

// connector hands database/sql connections of pgx's that rewrite every
// query on its way in (rewrite.go), so that the queries shared with SQLite
// run unchanged: plain statements, prepared ones and those of a
// transaction alike.
type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{cn}, nil
}

// conn is pgx's stdlib connection with its query text rewritten. It
// forwards every optional interface pgx's implements, so database/sql
// uses pgx as it would without the wrapper.
type conn struct{ driver.Conn }

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rewrite(query))
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, rewrite(query))
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, rewrite(query), args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, rewrite(query), args)
}

func (c *conn) Ping(ctx context.Context) error {
	return c.Conn.(driver.Pinger).Ping(ctx)
}

// CheckNamedValue hands booleans over as 0 and 1: the shared schema keeps
// flags in integer columns, as SQLite does, and PostgreSQL will not cast a
// boolean parameter to one. Text PostgreSQL cannot hold (a NUL, bytes
// that are not UTF-8) is stored with U+FFFD in their place, as a browser
// shows them: SQLite keeps them, PostgreSQL refuses the whole statement,
// and a hostile path or form must not make a 500.
func (c *conn) CheckNamedValue(v *driver.NamedValue) error {
	switch x := v.Value.(type) {
	case bool:
		v.Value = int64(0)
		if x {
			v.Value = int64(1)
		}
		return nil
	case string:
		if !utf8.ValidString(x) || strings.IndexByte(x, 0) >= 0 {
			v.Value = strings.ReplaceAll(strings.ToValidUTF8(x, "\uFFFD"), "\x00", "\uFFFD")
		}
	}
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(v)
}

func (c *conn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
)
