package httpbench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// response parses one HTTP/1.1 answer from the bytes of a connection as
// they arrive, in as many pieces as they come in. It parses only what a
// client of the API needs (the status line, Content-Length, chunked
// bodies, Connection: close), so the load spends its CPU on requests
// rather than on header maps: on a small machine the bench shares the
// cores with the server it measures.
type response struct {
	state   respState
	status  int
	length  int  // Content-Length, -1 when none was given
	closing bool // Connection: close
	left    int  // bytes still due in the current chunk
	// body is the answer's body once parse has said it is complete. It
	// may point into the bytes parse was given.
	body    []byte
	chunked []byte // the chunked body decoded so far, reused
}

type respState uint8

const (
	respHead       respState = iota // before the end of the headers
	respLength                      // a body of length bytes
	respUntilClose                  // a body that ends with the connection
	respChunkSize                   // before a chunk-size line
	respChunkData                   // inside a chunk
	respChunkEnd                    // before the CRLF that ends a chunk
	respTrailer                     // in the trailer after the last chunk
	respDone
)

// maxHead bounds the status line and headers of an answer.
const maxHead = 1 << 20

// reset prepares r for the next answer.
func (r *response) reset() {
	*r = response{chunked: r.chunked[:0]}
}

// parse reads what it can of in, the bytes received and not yet used,
// and returns how many it used and whether the answer is complete; eof
// says that the connection has ended after in. Once complete, r.status,
// r.body (valid as long as in is) and r.closing describe the answer;
// bytes after it are not used.
func (r *response) parse(in []byte, eof bool) (used int, complete bool, err error) {
	for r.state != respDone {
		n, more, err := r.step(in[used:], eof)
		used += n
		if err != nil || !more {
			if err == nil && eof {
				err = io.ErrUnexpectedEOF
				if len(in) == 0 && r.state == respHead {
					err = errors.New("httpbench: the server closed the connection without answering")
				}
			}
			return used, false, err
		}
	}
	return used, true, nil
}

// step takes one part of the answer off in: it returns the bytes used
// and false when in holds too little to go on.
func (r *response) step(in []byte, eof bool) (int, bool, error) {
	switch r.state {
	case respHead:
		return r.head(in)
	case respLength:
		if len(in) < r.length {
			return 0, false, nil
		}
		r.body, r.state = in[:r.length], respDone
		return r.length, true, nil
	case respUntilClose:
		if !eof {
			return 0, false, nil
		}
		r.body, r.state = in, respDone
		return len(in), true, nil
	case respChunkData:
		n := min(len(in), r.left)
		r.chunked = append(r.chunked, in[:n]...)
		if r.left -= n; r.left == 0 {
			r.state = respChunkEnd
		}
		return n, r.left == 0, nil
	}
	line, n := cutLine(in)
	if n == 0 {
		return 0, false, nil
	}
	switch r.state {
	case respChunkSize:
		size, _, _ := bytes.Cut(line, []byte(";")) // no chunk extension matters
		s, err := strconv.ParseUint(string(bytes.TrimSpace(size)), 16, 31)
		if err != nil {
			return 0, false, fmt.Errorf("httpbench: bad chunk size %q", line)
		}
		r.left, r.state = int(s), respChunkData
		if s == 0 {
			r.state = respTrailer
		}
	case respChunkEnd:
		if len(line) != 0 {
			return 0, false, fmt.Errorf("httpbench: a chunk ends with %q", line)
		}
		r.state = respChunkSize
	case respTrailer:
		if len(line) == 0 {
			r.body, r.state = r.chunked, respDone
		}
	}
	return n, true, nil
}

// head parses the status line and the headers once they are all in.
func (r *response) head(in []byte) (int, bool, error) {
	end := bytes.Index(in, []byte("\n\r\n"))
	if end < 0 {
		if end = bytes.Index(in, []byte("\n\n")); end < 0 {
			if len(in) > maxHead {
				return 0, false, errors.New("httpbench: an answer's headers are too long")
			}
			return 0, false, nil
		}
	}
	line, n := cutLine(in)
	status, err := parseStatusLine(line)
	if err != nil {
		return 0, false, err
	}
	r.status, r.length = status, -1
	chunked := false
	for {
		line, m := cutLine(in[n:])
		n += m
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, fmt.Errorf("httpbench: malformed header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if r.length, err = strconv.Atoi(string(value)); err != nil || r.length < 0 {
				return 0, false, fmt.Errorf("httpbench: bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			r.closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case status == 204 || status == 304:
		r.body, r.state = nil, respDone
	case chunked:
		r.state = respChunkSize
	case r.length >= 0:
		r.state = respLength
	default:
		r.state, r.closing = respUntilClose, true
	}
	return n, true, nil
}

// cutLine returns the first line of in without its line end, and the
// bytes it takes with its end; 0 when in holds no whole line.
func cutLine(in []byte) ([]byte, int) {
	i := bytes.IndexByte(in, '\n')
	if i < 0 {
		return nil, 0
	}
	return bytes.TrimSuffix(in[:i], []byte("\r")), i + 1
}

// parseStatusLine returns the status code of "HTTP/1.x NNN reason".
func parseStatusLine(line []byte) (int, error) {
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, errors.New("httpbench: malformed status line " + strconv.Quote(string(line)))
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil || status < 100 {
		return 0, errors.New("httpbench: malformed status line " + strconv.Quote(string(line)))
	}
	return status, nil
}
