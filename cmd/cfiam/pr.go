package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

const baselineHelp = `
Baseline (--baseline FILE, --write-baseline FILE): the access a team has
approved. With --baseline, every allow grant of the end state (with --live,
the account's) that the file does not list is a blocking finding,
baseline.not_in_baseline, counted by --fail-on; the report says how many
grants the baseline accepted and how many entries expired. --write-baseline
writes the end state's grants to FILE (the review still prints), keeping
the reason and expires of entries FILE already holds. The file is JSON,
sorted, one entry per grant, no secrets:
  {"version": 1, "grants": [{"principal_kind": "member", "principal":
   "alice@example.com", "role": "Administrator", "scope": "account:f037…",
   "access": "allow", "reason": "on call", "expires": "2026-12-31"}]}
principal_kind is member, user_group or token; scope is KIND:ID (KIND
alone for user and all_zones of every account); expires (YYYY-MM-DD, UTC,
optional) is the last day the entry counts; reason is free text.
`

// prFlags are review's flags for pull requests: guardrails, baseline,
// comment and SARIF category.
type prFlags struct {
	policy, baseline, writeBaseline string
	comment, commentMode            string
	skipNoChange                    bool
	sarifCategory                   string
	prev                            *review.Baseline // what --write-baseline's file held
}

func addPRFlags(fs *flag.FlagSet) *prFlags {
	f := &prFlags{}
	fs.StringVar(&f.policy, "policy", "", "hold the end state against the guardrails in `FILE` (HCL; see Guardrails below)")
	fs.StringVar(&f.baseline, "baseline", "", "a blocking finding for each grant of the end state not in the baseline `FILE` (JSON; see Baseline below)")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "write the end state's grants as a baseline to `FILE`")
	fs.StringVar(&f.comment, "comment", "", "post the Markdown report as the pull request's comment on `PLATFORM`: github or gitlab (see Pull-request comment below)")
	fs.StringVar(&f.commentMode, "comment-mode", "update", "with --comment: update, new, delete-and-new or hide-and-new")
	fs.BoolVar(&f.skipNoChange, "skip-no-change", false, "with --comment: post nothing when no access changes, and delete an earlier comment")
	fs.StringVar(&f.sarifCategory, "sarif-category", "", "with --format sarif: the run's automationDetails.id, code scanning's category (`NAME`, one per configuration)")
	return f
}

// check validates the flags' values, before anything is read.
func (f *prFlags) check() error {
	switch f.comment {
	case "", "github", "gitlab":
	default:
		return fmt.Errorf("unknown --comment %q: want github or gitlab", f.comment)
	}
	switch f.commentMode {
	case "update", "new", "delete-and-new", "hide-and-new":
	default:
		return fmt.Errorf("unknown --comment-mode %q: want update, new, delete-and-new or hide-and-new", f.commentMode)
	}
	if f.comment == "" && f.skipNoChange {
		return errors.New("--skip-no-change goes with --comment")
	}
	if f.comment != "" {
		// The platform's variables, before the plan is read: a missing one is the line to fix.
		var err error
		if f.comment == "github" {
			_, err = newGitHub()
		} else {
			_, err = newGitLab()
		}
		return err
	}
	return nil
}

// options reads the guardrails and the baselines into the review's options.
func (f *prFlags) options(opts *review.Options) error {
	if f.policy != "" {
		rules, err := readGuardrails(f.policy)
		if err != nil {
			return err
		}
		opts.Guardrails = rules
	}
	if f.baseline != "" {
		b, err := readBaseline(f.baseline)
		if err != nil {
			return err
		}
		opts.Baseline = b
	}
	if f.writeBaseline != "" {
		if _, err := os.Stat(f.writeBaseline); err == nil {
			b, err := readBaseline(f.writeBaseline)
			if err != nil {
				return fmt.Errorf("--write-baseline: %w", err)
			}
			f.prev = b
		}
	}
	return nil
}

func readBaseline(path string) (*review.Baseline, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: the file the user names is the input
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline: %w", err)
	}
	b, err := review.DecodeBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// after writes the baseline and posts the comment, once the report is made.
func (f *prFlags) after(ctx context.Context, rep *review.Report, stderr io.Writer) error {
	if f.writeBaseline != "" {
		var buf bytes.Buffer
		if err := rep.WriteBaseline(&buf, f.prev); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(f.writeBaseline), ".cfiam-baseline-*")
		if err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
		_, werr := tmp.Write(buf.Bytes())
		merr := tmp.Chmod(0o644) //nolint:gosec // G302: a file for the repository, no secret in it
		cerr := tmp.Close()
		if err := errors.Join(werr, merr, cerr); err != nil {
			_ = os.Remove(tmp.Name())
			return fmt.Errorf("--write-baseline: %w", err)
		}
		if err := os.Rename(tmp.Name(), f.writeBaseline); err != nil {
			_ = os.Remove(tmp.Name())
			return fmt.Errorf("--write-baseline: %w", err)
		}
		_, _ = fmt.Fprintf(stderr, "cfiam review: wrote the baseline %s\n", f.writeBaseline)
	}
	if f.comment == "" {
		return nil
	}
	var c commenter
	var err error
	if f.comment == "github" {
		c, err = newGitHub()
	} else {
		c, err = newGitLab()
	}
	if err != nil {
		return err
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		return err
	}
	what, err := postComment(ctx, c, f.commentMode, f.skipNoChange, len(rep.Changes) > 0, md.String())
	if err != nil {
		return fmt.Errorf("--comment %s: %w", f.comment, err)
	}
	_, _ = fmt.Fprintf(stderr, "cfiam review: %s\n", what)
	return nil
}
