package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// Source is a simulation file and the files it names (its history CSV),
// read once: a run parses it, a shard's part carries it, and a merge
// parses it again from the part alone.
type Source struct {
	Name string // the path it was read from, for messages
	File []byte
	// Refs are the files the simulation file names, by the name it gives.
	Refs map[string][]byte
}

// LoadSource reads and checks the simulation file at path and the files
// it names.
func LoadSource(path string) (*Source, *Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return NewSource(path, data, filepath.Dir(path))
}

// NewSource checks data, a simulation file in dir named name, and reads
// the files it names from dir.
func NewSource(name string, data []byte, dir string) (*Source, *Config, error) {
	s := &Source{Name: name, File: data, Refs: map[string][]byte{}}
	c, err := parseWith(data, readIn(dir, s.Refs))
	if err != nil {
		return nil, nil, err
	}
	return s, c, nil
}

// Parse checks the source again, from its bytes alone.
func (s *Source) Parse() (*Config, error) { return parseWith(s.File, s.open) }

// open is the opener of the files the source carries.
func (s *Source) open(name string) ([]byte, error) {
	data, ok := s.Refs[name]
	if !ok {
		return nil, fmt.Errorf("%s was not read with the simulation file", name)
	}
	return data, nil
}

// Hash is the hex SHA-256 of the file and of every file it names (with
// their names), each length-prefixed so that no two sources share one.
func (s *Source) Hash() string {
	h := sha256.New()
	put := func(b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	put([]byte("vpool sim source"))
	put(s.File)
	for _, name := range slices.Sorted(maps.Keys(s.Refs)) {
		put([]byte(name))
		put(s.Refs[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}
