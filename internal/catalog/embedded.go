package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:generate go run ./gen -reference ../../../shared/reference -out embedded.json -guide ../../templates/guides/scopes.md.tmpl

//go:embed embedded.json
var embeddedJSON []byte

var embedded = sync.OnceValue(func() *Catalog {
	entries, err := DecodeEntries(embeddedJSON)
	if err != nil {
		panic(fmt.Sprintf("catalog: embedded.json is corrupt: %v", err)) // a build defect, caught by tests
	}
	return New(entries)
})

// Embedded returns the catalog generated from Cloudflare's reference pages and
// compiled into the binary: the fallback when no live catalog is available.
func Embedded() *Catalog { return embedded() }

type jsonEntry struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Scope       Scope  `json:"scope"`
	Kind        Kind   `json:"kind"`
	Label       string `json:"label"`
}

// DecodeEntries reads entries in the embedded.json format.
func DecodeEntries(data []byte) ([]Entry, error) {
	var raw []jsonEntry
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decoding catalog entries: %w", err)
	}
	out := make([]Entry, len(raw))
	for i, r := range raw {
		out[i] = Entry(r)
	}
	return out, nil
}

// EncodeEntries writes entries in the embedded.json format, one per line, for readable diffs.
func EncodeEntries(entries []Entry) ([]byte, error) {
	buf := []byte("[\n")
	for i, e := range entries {
		b, err := json.Marshal(jsonEntry(e))
		if err != nil {
			return nil, fmt.Errorf("encoding catalog entry %q: %w", e.Name, err)
		}
		buf = append(buf, "  "...)
		buf = append(buf, b...)
		if i < len(entries)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
	}
	return append(buf, "]\n"...), nil
}
