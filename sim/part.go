package sim

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// A part is what one shard of a run writes: a header line of JSON, which
// says what the part is of and is enough to check that parts fit
// together, then a gzip stream (whose checksum catches a damaged or cut
// file) holding
//
//  1. the source: the simulation file and the files it names, so that a
//     merge needs nothing else;
//  2. the shard's rows of paths.csv (none for a sweep), as length-prefixed
//     frames ending with an empty one;
//  3. the units the shard ran, each an id and an aggregate: the main run
//     (id 0) and each stress scenario (id 1 + its index), or the sweep
//     points it has paths of (id: the point's index).

// PartFormat tags the parts this build writes and reads.
const PartFormat = "vpool-sim-part/1"

// partHeader is the first line of a part.
type partHeader struct {
	Format  string `json:"format"`
	Version string `json:"version"` // of the vpool binary that wrote it
	File    string `json:"file"`    // as named on the shard's command line
	SHA256  string `json:"sha256"`  // Source.Hash of the file it ran
	Seed    uint64 `json:"seed"`
	Runs    int    `json:"runs"`
	Sweep   bool   `json:"sweep"`
	Shard   int    `json:"shard"`
	Shards  int    `json:"shards"`
	// From and To are the work items the shard ran, [from, to) of Items:
	// paths, or with a sweep point × runs + path.
	From  int `json:"from"`
	To    int `json:"to"`
	Items int `json:"items"`
}

// maxHeader bounds a part's header line.
const maxHeader = 64 << 10

// partName is the file name of shard s's part: zero-padded indexes, so
// that a shell glob lists them in order.
func partName(s Shard) string {
	return fmt.Sprintf("shard-%0*d-of-%d.simpart", len(strconv.Itoa(s.Count-1)), s.Index, s.Count)
}

// partWriter writes a part into a temporary file of its directory, renamed
// to the part's name once complete: a part that exists is whole.
type partWriter struct {
	f    *os.File
	gz   *gzip.Writer
	enc  encoder
	path string
}

func createPart(dir string, h partHeader) (*partWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".shard-*.tmp")
	if err != nil {
		return nil, err
	}
	line, _ := json.Marshal(h)
	if err := f.Chmod(0o644); err != nil { // as os.Create would: the merge may run as another user
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	gz := gzip.NewWriter(f)
	return &partWriter{f: f, gz: gz, enc: encoder{w: bufio.NewWriterSize(gz, 64<<10)},
		path: filepath.Join(dir, partName(Shard{h.Shard, h.Shards}))}, nil
}

// source writes the simulation file and the files it names.
func (p *partWriter) source(s *Source) {
	p.enc.bytes(s.File)
	names := slices.Sorted(maps.Keys(s.Refs))
	p.enc.uvarint(uint64(len(names)))
	for _, name := range names {
		p.enc.bytes([]byte(name))
		p.enc.bytes(s.Refs[name])
	}
}

// Write adds a frame of path rows (the csv writer hands over its buffer).
func (p *partWriter) Write(b []byte) (int, error) {
	if len(b) > 0 {
		p.enc.bytes(b)
	}
	return len(b), nil
}

// finish completes the part and gives it its name.
func (p *partWriter) finish() error {
	err := p.enc.w.Flush()
	if cerr := p.gz.Close(); err == nil {
		err = cerr
	}
	if serr := p.f.Sync(); err == nil {
		err = serr
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.f.Name(), p.path)
	}
	if err != nil {
		os.Remove(p.f.Name())
	}
	return err
}

// abandon removes an unfinished part.
func (p *partWriter) abandon() {
	p.f.Close()
	os.Remove(p.f.Name())
}

// partReader reads a part written by partWriter.
type partReader struct {
	path   string
	header partHeader
	f      *os.File
	dec    decoder
}

// openPart opens the part at path and reads its header.
func openPart(path string) (*partReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(f, maxHeader)
	line, err := r.ReadSlice('\n')
	var h partHeader
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		err = dec.Decode(&h)
	}
	if err != nil || h.Format == "" {
		f.Close()
		return nil, fmt.Errorf("%s is not a part of a sharded vpool sim run (it does not start with a %s header)", path, PartFormat)
	}
	if h.Format != PartFormat {
		f.Close()
		return nil, fmt.Errorf("%s is a part in format %s; this vpool reads %s", path, h.Format, PartFormat)
	}
	p := &partReader{path: path, header: h, f: f}
	p.dec.r = r
	return p, nil
}

// body starts reading the gzip stream after the header.
func (p *partReader) body() error {
	gz, err := gzip.NewReader(p.dec.r)
	if err != nil {
		return p.damaged(err)
	}
	gz.Multistream(false)
	p.dec.r = bufio.NewReaderSize(gz, 64<<10)
	return nil
}

// source reads the part's simulation file and the files it names, and
// checks them against the header's hash.
func (p *partReader) source() (*Source, error) {
	s := &Source{Name: p.header.File, File: p.dec.bytes(), Refs: map[string][]byte{}}
	n := p.dec.uvarint()
	for i := uint64(0); i < n && p.dec.err == nil; i++ {
		name := p.dec.bytes()
		s.Refs[string(name)] = p.dec.bytes()
	}
	if p.dec.err != nil {
		return nil, p.damaged(p.dec.err)
	}
	if s.Hash() != p.header.SHA256 {
		return nil, p.damaged(errors.New("the simulation file it carries does not match its header's sha256"))
	}
	return s, nil
}

// rows copies the part's rows of paths.csv to w.
func (p *partReader) rows(w io.Writer) error {
	for {
		frame := p.dec.bytes()
		if p.dec.err != nil {
			return p.damaged(p.dec.err)
		}
		if len(frame) == 0 {
			return nil
		}
		if _, err := w.Write(frame); err != nil {
			return err
		}
	}
}

// end checks that nothing follows the last unit.
func (p *partReader) end() error {
	if _, err := p.dec.r.ReadByte(); !errors.Is(err, io.EOF) {
		return p.damaged(errors.New("data after its last unit"))
	}
	return nil
}

func (p *partReader) damaged(err error) error {
	return fmt.Errorf("%s is damaged: %w", p.path, err)
}

func (p *partReader) close() { p.f.Close() }
