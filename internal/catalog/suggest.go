package catalog

import (
	"sort"
	"strings"
	"unicode"
)

// twins pairs names that Cloudflare gives the same product at two scopes, so
// that a wrong-scope error can say which name to write instead.
var twins = [][2]string{
	{"Bot Management", "Bot Management (Account-wide)"},
	{"Domain Page Shield", "Page Shield"},
	{"Domain Page Shield Read", "Page Shield Read"},
	{"Zone Versioning", "Zone Versioning (Account-Wide)"},
	{"Zone Versioning Read", "Zone Versioning Read (Account-Wide)"},
	{"Domain DNS", "DNS"},
	{"Domain API Gateway", "API Gateway"},
	{"Domain API Gateway Read", "API Gateway Read"},
	{"Domain Waiting Room Admin", "Waiting Room Admin"},
	{"Domain Waiting Room Read", "Waiting Room Read"},
	{"Domain Administrator", "Administrator"},
	{"Domain Administrator Read Only", "Administrator Read Only"},
	{"Cache Domain Purge", "Cache Purge"},
}

// twinsIn returns, for entries found in other scopes, their twin names that exist in scope s.
func (c *Catalog) twinsIn(k Kind, found []Entry, s Scope) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range found {
		for _, t := range twins {
			for i := 0; i < 2; i++ {
				if !strings.EqualFold(t[i], f.Name) {
					continue
				}
				other := t[1-i]
				for _, e := range c.Find(k, other) {
					if e.Scope == s && !seen[e.Name] {
						seen[e.Name] = true
						out = append(out, e.Name)
					}
				}
			}
		}
	}
	return out
}

// Suggest returns up to n names of kind k nearest to ref, best first. With a
// scope, names in that scope come first; each suggestion outside it is
// followed by its scope in parentheses.
func (c *Catalog) Suggest(k Kind, ref string, s Scope, n int) []string {
	type cand struct {
		label string
		score int
	}
	q := normalize(ref)
	var cands []cand
	for _, e := range c.entries {
		if e.Kind != k {
			continue
		}
		score := distance(q, normalize(e.Name))
		name := normalize(e.Name)
		if q != "" && (strings.Contains(name, q) || strings.Contains(q, name)) {
			score = min(score, 1+abs(len(name)-len(q))/4)
		}
		label := e.Name
		if s != "" && e.Scope != s {
			score += 2
			label += " (" + string(e.Scope) + ")"
		}
		cands = append(cands, cand{label, score})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].label < cands[j].label
	})
	limit := max(3, len(q)/2)
	var out []string
	for _, cd := range cands {
		if len(out) == n || cd.score > limit {
			break
		}
		out = append(out, cd.label)
	}
	return out
}

func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
