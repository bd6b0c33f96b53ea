package search

import (
	"context"
	"testing"
	"time"
)

// TestTurns: no more than the bound at once; a turn given back is taken by
// one waiting; a wait ends with its context; no bound, no wait.
func TestTurns(t *testing.T) {
	ctx := context.Background()
	two := make(turns, 2)
	first, err := two.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := two.take(ctx); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := two.take(short); err == nil {
		t.Fatal("a third took a turn while two were under way")
	}
	got := make(chan error, 1)
	go func() {
		_, err := two.take(ctx)
		got <- err
	}()
	first()
	if err := <-got; err != nil {
		t.Errorf("a turn given back was not taken: %v", err)
	}
	var none turns
	for range 3 {
		if _, err := none.take(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
