package httpbench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"strconv"
)

// readResponse reads one HTTP/1.1 answer: its status and body. The body
// is in a buffer the connection reuses, valid until its next request. It
// parses only what a client of the API needs (the status line,
// Content-Length, chunked bodies, Connection: close), so the load spends
// its CPU on requests rather than on header maps: on a small machine the
// bench shares the cores with the server it measures.
func (k *conn) readResponse() (int, []byte, error) {
	line, err := k.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	status, err := parseStatusLine(line)
	if err != nil {
		return 0, nil, err
	}
	length, chunked, closing := -1, false, false
	for {
		line, err := k.br.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, nil, fmt.Errorf("httpbench: malformed header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, nil, fmt.Errorf("httpbench: bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	body, err := k.readBody(length, chunked)
	if closing || err != nil {
		k.close()
	}
	return status, body, err
}

// readBody reads a body of length bytes, a chunked one, or (neither
// given) one that ends with the connection.
func (k *conn) readBody(length int, chunked bool) ([]byte, error) {
	var err error
	switch {
	case chunked:
		if k.body, err = appendAll(k.body[:0], httputil.NewChunkedReader(k.br)); err == nil {
			err = k.skipTrailer()
		}
	case length >= 0:
		if cap(k.body) < length {
			k.body = make([]byte, length)
		}
		k.body = k.body[:length]
		_, err = io.ReadFull(k.br, k.body)
	default:
		k.body, err = appendAll(k.body[:0], k.br)
	}
	return k.body, err
}

// skipTrailer reads the trailer lines that end a chunked body, up to
// the empty line.
func (k *conn) skipTrailer() error {
	for {
		line, err := k.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
}

// appendAll appends everything r yields to b.
func appendAll(b []byte, r io.Reader) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
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
