package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/vpool/vpool/scenario"
)

// commandBody is one command as a client sends it: a scenario step
// without its time (the node stamps it).
type commandBody struct {
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`
}

// postCommands is POST /v1/commands: one command or an array of them.
// Every command is authorized and parsed before any is submitted, so a
// request refused with 4xx changes nothing; the accepted ones are applied
// in order, each all or nothing, and answered once durable. An engine
// failure is not an HTTP error: its command has a seq and ok=false. A
// node that does not lead answers 421 naming the leader.
func (a *api) postCommands(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := a.leaderOnly(w); err != nil {
		return err
	}
	body, err := readBody(w, r, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	cmds, single, err := parseCommands(body, a.opt.MaxCommands)
	if err != nil {
		return err
	}
	for i := range cmds {
		if cmds[i], err = authorize(p, cmds[i], a.opt.Dev); err != nil {
			var e *apiError
			if errors.As(err, &e) && !single {
				e.Message = fmt.Sprintf("commands[%d]: %s", i, e.Message)
			}
			return err
		}
	}
	rep, err := a.n.submit(r.Context(), cmds)
	var notLeader *NotLeaderError
	if errors.As(err, &notLeader) {
		return notLeaderError(w, notLeader)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return errorf(http.StatusServiceUnavailable, codeUnavailable, "request abandoned before its commands were durable: %v", err)
		}
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "%v", err)
	}
	// The outcomes as the writer encoded them for the log: the same bytes
	// json.Marshal of the outcomes would give.
	size := 3
	for _, raw := range rep.raw {
		size += len(raw) + 1
	}
	out := make([]byte, 0, size)
	if single {
		out = append(out, rep.raw[0]...)
	} else {
		out = append(out, '[')
		for i, raw := range rep.raw {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, raw...)
		}
		out = append(out, ']')
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(append(out, '\n'))
	return nil
}

// readBody reads at most limit bytes of the body: more is 413.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errorf(http.StatusRequestEntityTooLarge, codeBodyTooLarge, "the body is larger than %d bytes", limit)
	}
	if err != nil {
		return nil, badRequest("reading the body: %v", err)
	}
	return body, nil
}

// parseCommands decodes one command object or a non-empty array of at
// most max of them, rejecting unknown fields and trailing data.
func parseCommands(body []byte, max int) (cmds []Command, single bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var list []commandBody
		if err := decodeStrict(trimmed, &list); err != nil {
			return nil, false, err
		}
		if len(list) == 0 {
			return nil, false, badRequest("the array of commands is empty")
		}
		if len(list) > max {
			return nil, false, badRequest("%d commands in one request; at most %d", len(list), max)
		}
		cmds = make([]Command, 0, len(list))
		for _, c := range list {
			cmds = append(cmds, Command{Op: c.Op, Args: c.Args})
		}
		return cmds, false, nil
	}
	var one commandBody
	if err := decodeStrict(trimmed, &one); err != nil {
		return nil, true, err
	}
	return []Command{{Op: one.Op, Args: one.Args}}, true, nil
}

// decodeStrict decodes exactly one JSON value into v: unknown fields,
// wrong types and trailing data are 400 invalid_argument.
func decodeStrict(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return badRequest("the body is empty")
	}
	if err := scenario.DecodeStrict(data, v); err != nil {
		return badRequest("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
