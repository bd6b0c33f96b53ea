// Package sessions is where scs's sessions are kept: the store adapter
// over db.Sessions, which skips unchanged commits (store.go), and the
// Codec that writes a session's values, cheaper than scs's gob codec and
// reading what gob wrote (codec.go).
package sessions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Codec encodes a session for the store (scs's Codec). scs's own
// gob codec built an encoder and described its types anew for every
// session read and written: a sixth of a kept reader page's CPU. Gloss's
// sessions hold strings, integers and flags, which this codec writes as a
// small JSON object behind a marker (its keys sorted: the same session is
// the same bytes, which the session store relies on to skip writing an
// unchanged one; gob wrote a map in a random order, so a quarter of the
// signed-in requests carrying three values wrote their session again);
// anything else, and every session written before it, goes through gob as
// before, so an upgrade signs no one out.
type Codec struct{}

// codecMarker starts a session this codec wrote: a gob stream starts with
// a message's length, never 0.
var codecMarker = []byte("\x00gloss-session-1\x00")

type codedSession struct {
	Deadline time.Time         `json:"d"`
	Strings  map[string]string `json:"s,omitempty"`
	Ints     map[string]int64  `json:"i,omitempty"`
	Flags    map[string]bool   `json:"b,omitempty"`
}

func (Codec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	c := codedSession{Deadline: deadline}
	for k, v := range values {
		switch v := v.(type) {
		case string:
			if c.Strings == nil {
				c.Strings = map[string]string{}
			}
			c.Strings[k] = v
		case int64:
			if c.Ints == nil {
				c.Ints = map[string]int64{}
			}
			c.Ints[k] = v
		case bool:
			if c.Flags == nil {
				c.Flags = map[string]bool{}
			}
			c.Flags[k] = v
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return append(bytes.Clone(codecMarker), b...), nil
}

func (Codec) Decode(b []byte) (time.Time, map[string]any, error) {
	rest, ours := bytes.CutPrefix(b, codecMarker)
	if !ours {
		return scs.GobCodec{}.Decode(b)
	}
	var c codedSession
	if err := json.Unmarshal(rest, &c); err != nil {
		return time.Time{}, nil, fmt.Errorf("session: %w", err)
	}
	values := make(map[string]any, len(c.Strings)+len(c.Ints)+len(c.Flags))
	for k, v := range c.Strings {
		values[k] = v
	}
	for k, v := range c.Ints {
		values[k] = v
	}
	for k, v := range c.Flags {
		values[k] = v
	}
	return c.Deadline, values, nil
}
