// Package httpbench drives a running vpool server over its HTTP API: a
// keep-alive client, a small market set up through the API, and the mixed
// load of mutations and reads that `vpool bench http` measures and the
// crash test runs across kill -9s. It talks to the server only over HTTP
// and never touches a data directory.
package httpbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vpool/vpool/server"
)

// Command is one command as POST /v1/commands takes it: a scenario step
// without its time.
type Command = server.Command

// Outcome is the server's answer for one command. A command the server
// made durable has a seq (from 1); ok=false with an error code is a
// command the engine refused, which is durable all the same.
type Outcome = server.Outcome

// Client talks to one server over keep-alive connections.
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a client for addr ("host:port" or an http:// URL)
// keeping up to conns idle connections open.
func NewClient(addr string, conns int) (*Client, error) {
	base := strings.TrimRight(addr, "/")
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("httpbench: %q is not an http address", addr)
	}
	conns = max(conns, 1)
	tr := &http.Transport{
		Proxy:               nil, // a bench must reach the server itself, never a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &Client{base: base, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}, nil
}

// Base is the server's base URL.
func (c *Client) Base() string { return c.base }

// Close drops the idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// StatusError is an HTTP answer other than 200.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// Do sends one request with the bearer key (none when empty) and returns
// the body of a 200 answer; any other status is a *StatusError.
func (c *Client) Do(ctx context.Context, method, path, key string, body []byte) ([]byte, error) {
	data, _, err := c.DoHeader(ctx, method, path, key, body)
	return data, err
}

// DoHeader is Do that also returns the answer's headers.
func (c *Client) DoHeader(ctx context.Context, method, path, key string, body []byte) ([]byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.Header, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, resp.Header, &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(data)}
	}
	return data, resp.Header, nil
}

// Whoami is what GET /v1/whoami says of a key.
type Whoami struct {
	Key     string `json:"key"`
	Role    string `json:"role"`
	Account string `json:"account"`
}

// Whoami asks the server whose key this is.
func (c *Client) Whoami(ctx context.Context, key string) (Whoami, error) {
	var w Whoami
	err := c.Get(ctx, key, "/v1/whoami", &w)
	return w, err
}

// Get decodes the answer to GET path into v (when v is not nil).
func (c *Client) Get(ctx context.Context, key, path string, v any) error {
	data, err := c.Do(ctx, http.MethodGet, path, key, nil)
	if err != nil || v == nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// Submit posts commands to /v1/commands (one command as an object, more as
// an array) and returns one outcome per command. An outcome carries a seq
// only when the server made it durable.
func (c *Client) Submit(ctx context.Context, key string, cmds ...Command) ([]Outcome, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	data, err := c.Do(ctx, http.MethodPost, "/v1/commands", key, appendBody(nil, cmds))
	if err != nil {
		return nil, err
	}
	outs, err := DecodeOutcomes(data)
	if err != nil {
		return nil, fmt.Errorf("POST /v1/commands: %w", err)
	}
	if len(outs) != len(cmds) {
		return outs, fmt.Errorf("POST /v1/commands: %d outcomes for %d commands", len(outs), len(cmds))
	}
	return outs, nil
}

// appendBody appends the body of POST /v1/commands: one command as an
// object, more as an array.
func appendBody(b []byte, cmds []Command) []byte {
	if len(cmds) != 1 {
		b = append(b, '[')
	}
	for i, c := range cmds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"op":`...)
		b = strconv.AppendQuote(b, c.Op) // op names are plain ASCII
		if len(c.Args) > 0 {
			b = append(b, `,"args":`...)
			b = append(b, c.Args...)
		}
		b = append(b, '}')
	}
	if len(cmds) != 1 {
		b = append(b, ']')
	}
	return b
}

// DecodeOutcomes reads an answer to POST /v1/commands: an array of
// outcomes, or one outcome.
func DecodeOutcomes(data []byte) ([]Outcome, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var one Outcome
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, err
		}
		return []Outcome{one}, nil
	}
	var outs []Outcome
	err := json.Unmarshal(data, &outs)
	return outs, err
}

// Cmd builds a command from an op and its args.
func Cmd(op string, args any) Command {
	if args == nil {
		return Command{Op: op}
	}
	raw, _ := json.Marshal(args) // maps of strings, numbers and bools always marshal
	return Command{Op: op, Args: raw}
}
