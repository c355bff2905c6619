package review

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

func levelRank(level string) int {
	if level == "error" {
		return 0
	}
	return 1
}

// CodeEscalation is the SARIF rule of a grant that escalates access.
const CodeEscalation = "access_escalation"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	Invocations       []sarifInvocation `json:"invocations,omitempty"`
	Results           []sarifResult     `json:"results"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

// FingerprintKey names cfiam's partial fingerprint in SARIF results.
const FingerprintKey = "cfiamFinding/v1"

// SARIFMaxResults is the most results a SARIF run holds; beyond, the run
// says how many were left out.
const SARIFMaxResults = 5000

// fingerprint is the same for the same finding in every run (it does not
// depend on line numbers or order) and differs when what the finding says
// changes.
func fingerprint(parts ...string) map[string]string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return map[string]string{FingerprintKey: hex.EncodeToString(sum[:16])}
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// WriteSARIF writes the findings and the escalations as SARIF 2.1.0, each
// located at its Terraform address (a logical location) and, where the
// review was given the configuration (Options.Locate), at the file and line
// of the address's block (a physical location, its URI relative to the
// repository root).
func (r *Report) WriteSARIF(w io.Writer) error { return r.WriteSARIFCategory(w, "") }

// WriteSARIFCategory is WriteSARIF with the run's automationDetails.id set
// from category (code scanning's category: one per configuration analysed),
// when given.
func (r *Report) WriteSARIFCategory(w io.Writer, category string) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "cfiam", InformationURI: "https://registry.terraform.io/providers/cfiam/cfiam/latest/docs/guides/reviewing-access-changes"}},
		Results: []sarifResult{}}
	rule := func(id, text string) {
		if !slices.ContainsFunc(run.Tool.Driver.Rules, func(r sarifRule) bool { return r.ID == id }) {
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{text}})
		}
	}
	loc := func(name string, at Location) []sarifLocation {
		l := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: name, Kind: "resource"}}}
		if at.Known() {
			l.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: (&url.URL{Path: at.File}).String()}, Region: sarifRegion{StartLine: at.Line}}
		}
		return []sarifLocation{l}
	}
	for _, c := range r.Escalations() {
		rule(CodeEscalation, "A change that escalates Cloudflare access")
		run.Results = append(run.Results, sarifResult{RuleID: CodeEscalation, Level: "warning", Locations: loc(c.Grant.Via, c.Location),
			Message:             sarifMessage{c.Grant.Principal.String() + " gains " + c.Grant.Role() + " on " + c.Grant.Scope.String() + " (" + c.Escalation + ")"},
			PartialFingerprints: fingerprint(CodeEscalation, c.Grant.Via, c.Grant.Group, c.Grant.key(), c.Escalation)})
	}
	for _, f := range r.Findings {
		rule(string(f.Code), string(f.Code))
		name := f.Address
		if f.Path != "" {
			name += "." + f.Path
		}
		level := "warning"
		if f.Blocking {
			level = "error"
		}
		run.Results = append(run.Results, sarifResult{RuleID: string(f.Code), Level: level, Locations: loc(name, f.Location), Message: sarifMessage{f.Message},
			PartialFingerprints: fingerprint(string(f.Code), f.Address, f.Path, level, f.Message)})
	}
	if category != "" {
		if !strings.HasSuffix(category, "/") {
			category += "/"
		}
		run.AutomationDetails = &sarifAutomation{ID: category}
	}
	if n := len(run.Results); n > SARIFMaxResults {
		// Keep the errors first, then as reported.
		slices.SortStableFunc(run.Results, func(a, b sarifResult) int { return cmp.Compare(levelRank(a.Level), levelRank(b.Level)) })
		run.Results = run.Results[:SARIFMaxResults]
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{{Level: "warning",
			Message: sarifMessage{fmt.Sprintf("cfiam cut the results at %d of %d (errors first): run cfiam review --format json for all of them.", SARIFMaxResults, n)}}}}}
	}
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}
