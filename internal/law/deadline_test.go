package law_test

import (
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/law"
)

func date(t *testing.T, s string) law.Date {
	t.Helper()
	d, err := law.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUSFederalHoliday(t *testing.T) {
	tests := []struct {
		name string
		date string
		want string // "" when not a holiday
	}{
		{"new year 2026", "2026-01-01", "New Year's Day"},
		{"MLK 2026 is the third Monday", "2026-01-19", "Birthday of Martin Luther King, Jr."},
		{"second Monday of January is not MLK", "2026-01-12", ""},
		{"Washington's Birthday 2026", "2026-02-16", "Washington's Birthday"},
		{"Memorial Day 2026 is the last Monday", "2026-05-25", "Memorial Day"},
		{"Juneteenth 2026", "2026-06-19", "Juneteenth National Independence Day"},
		{"Juneteenth before the 2021 act", "2020-06-19", ""},
		{"Independence Day 2026 on Saturday observed Friday", "2026-07-03", "Independence Day"},
		{"the Saturday itself is not a business-day holiday", "2026-07-04", "Independence Day"},
		{"Labor Day 2026", "2026-09-07", "Labor Day"},
		{"Columbus Day 2026", "2026-10-12", "Columbus Day"},
		{"Veterans Day 2026", "2026-11-11", "Veterans Day"},
		{"Thanksgiving 2026 is the fourth Thursday", "2026-11-26", "Thanksgiving Day"},
		{"day after Thanksgiving is not federal", "2026-11-27", ""},
		{"Christmas 2027 on Saturday observed Friday", "2027-12-24", "Christmas Day"},
		{"New Year 2028 on Saturday observed the Friday before", "2027-12-31", "New Year's Day"},
		{"Christmas 2022 on Sunday observed Monday", "2022-12-26", "Christmas Day"},
		{"Memorial Day 2027 in a 31-day May", "2027-05-31", "Memorial Day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := date(t, tt.date)
			got, ok := law.USFederalHoliday(d)
			if tt.want == "" {
				if ok {
					t.Errorf("%s is %q, want no holiday", tt.date, got)
				}
				return
			}
			// An observed Saturday holiday moves to Friday, so the Saturday
			// is only a weekend day.
			if d.Weekday() == time.Saturday {
				if ok {
					t.Errorf("%s (Saturday) reported as observed holiday %q", tt.date, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("%s = %q, %v; want %q", tt.date, got, ok, tt.want)
			}
		})
	}
}

func TestDeadlineDue(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	tests := []struct {
		name       string
		discovered time.Time
		d          law.Deadline
		us         bool
		want       string
		wantAt     string
	}{
		{"calendar days", time.Date(2026, 11, 2, 9, 0, 0, 0, ny), law.Deadline{Amount: 30, Unit: "days"}, true, "2026-12-02", ""},
		{"calendar days cross the year", time.Date(2026, 11, 2, 9, 0, 0, 0, ny), law.Deadline{Amount: 60, Unit: "days"}, true, "2027-01-01", ""},
		{"late evening counts in the incident's zone", time.Date(2026, 11, 2, 23, 30, 0, 0, ny), law.Deadline{Amount: 30, Unit: "days"}, true, "2026-12-02", ""},
		{"business days skip the weekend and Veterans Day", time.Date(2026, 11, 6, 9, 0, 0, 0, ny), law.Deadline{Amount: 5, Unit: "business_days"}, true, "2026-11-16", ""},
		{"business days skip the weekend", time.Date(2026, 11, 13, 9, 0, 0, 0, ny), law.Deadline{Amount: 5, Unit: "business_days"}, true, "2026-11-20", ""},
		{"business days skip Veterans Day", time.Date(2026, 11, 9, 9, 0, 0, 0, ny), law.Deadline{Amount: 3, Unit: "business_days"}, true, "2026-11-13", ""},
		{"non-US business days keep US holidays", time.Date(2026, 11, 9, 9, 0, 0, 0, ny), law.Deadline{Amount: 3, Unit: "business_days"}, false, "2026-11-12", ""},
		{"business days over Christmas and New Year", time.Date(2026, 12, 23, 9, 0, 0, 0, ny), law.Deadline{Amount: 6, Unit: "business_days"}, true, "2027-01-04", ""},
		{"discovery on a Saturday", time.Date(2026, 11, 7, 9, 0, 0, 0, ny), law.Deadline{Amount: 1, Unit: "business_days"}, true, "2026-11-09", ""},
		{"72 hours", time.Date(2026, 11, 2, 9, 30, 0, 0, ny), law.Deadline{Amount: 72, Unit: "hours"}, false, "2026-11-05", "2026-11-05T09:30:00-05:00"},
		{"72 hours across the end of daylight saving", time.Date(2026, 10, 31, 9, 0, 0, 0, ny), law.Deadline{Amount: 72, Unit: "hours"}, false, "2026-11-03", "2026-11-03T08:00:00-05:00"},
		{"36 hours past midnight", time.Date(2026, 11, 2, 18, 0, 0, 0, ny), law.Deadline{Amount: 36, Unit: "hours"}, true, "2026-11-04", "2026-11-04T06:00:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, at := tt.d.Due(tt.discovered, tt.us)
			if got.String() != tt.want {
				t.Errorf("due = %s, want %s", got, tt.want)
			}
			gotAt := ""
			if at != nil {
				gotAt = at.Format(time.RFC3339)
			}
			if gotAt != tt.wantAt {
				t.Errorf("instant = %q, want %q", gotAt, tt.wantAt)
			}
		})
	}
}

func TestThreshold(t *testing.T) {
	tests := []struct {
		in      string
		n       int64
		met     bool
		compare string
	}{
		{">=250", 249, false, "249 residents < 250"},
		{">=250", 250, true, "250 residents ≥ 250"},
		{">500", 500, false, "500 residents, not more than 500"},
		{">500", 501, true, "501 residents > 500"},
		{"any", 1, true, "1 residents (any number)"},
		{"any", 0, false, "0 residents (any number)"},
		{">0", 0, false, "0 residents, not more than 0"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			th, err := law.ParseThreshold(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if th.String() != tt.in {
				t.Errorf("String() = %q, want %q", th.String(), tt.in)
			}
			if got := th.Met(tt.n); got != tt.met {
				t.Errorf("Met(%d) = %v, want %v", tt.n, got, tt.met)
			}
			if got := th.Compare(tt.n, "residents"); got != tt.compare {
				t.Errorf("Compare = %q, want %q", got, tt.compare)
			}
		})
	}
	for _, bad := range []string{"", "250", ">= 250", "≥250", ">1,000", "=>250", "<500", "ANY", ">-1", ">=0"} {
		if _, err := law.ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) accepted", bad)
		}
	}
}
