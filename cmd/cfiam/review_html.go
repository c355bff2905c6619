package main

import (
	"io"
	"path/filepath"

	"github.com/cfiam/terraform-provider-cfiam/internal/accessreport"
	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

// writeReviewHTML writes `cfiam review --format html`: the access report's
// HTML view of the plan's grants gained, lost and kept.
func writeReviewHTML(w io.Writer, rep *review.Report, plan string) error {
	name := filepath.Base(plan)
	if plan == "-" {
		name = "standard input"
	}
	return accessreport.WriteHTML(w, accessreport.Page{Title: "Access changes in " + name, Rows: accessreport.FromReview(rep), Review: true})
}
