package failure

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorMatchesOnCode(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", New(CodeNotFound, "pool %d", 7))
	if got := err.Error(); got != "wrapped: not_found: pool 7" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(err, &Error{Code: CodeNotFound}) {
		t.Error("errors.Is does not match on the code")
	}
	if errors.Is(err, &Error{Code: CodeOverflow}) {
		t.Error("errors.Is matches another code")
	}
	if CodeOf(err) != CodeNotFound || CodeOf(errors.New("plain")) != "" {
		t.Errorf("CodeOf = %q, %q", CodeOf(err), CodeOf(errors.New("plain")))
	}
}
