package law

import (
	"time"
)

// Due computes when a deadline falls for a breach discovered at discovered,
// counted in discovered's location. Days are calendar days after the day of
// discovery; business days skip Saturdays, Sundays and, when usHolidays is
// set, US federal holidays (as observed); hours run from the instant of
// discovery. It returns the due date and, for hour deadlines, the instant.
func (d Deadline) Due(discovered time.Time, usHolidays bool) (Date, *time.Time) {
	start := DateOf(discovered)
	switch d.Unit {
	case UnitHours:
		at := discovered.Add(time.Duration(d.Amount) * time.Hour)
		return DateOf(at), &at
	case UnitBusinessDays:
		return AddBusinessDays(start, d.Amount, usHolidays), nil
	default:
		return start.AddDays(d.Amount), nil
	}
}

// AddBusinessDays returns the nth business day after d: weekends are
// skipped and, when usHolidays is set, US federal holidays as observed.
func AddBusinessDays(d Date, n int, usHolidays bool) Date {
	for n > 0 {
		d = d.AddDays(1)
		if IsBusinessDay(d, usHolidays) {
			n--
		}
	}
	return d
}

// IsBusinessDay reports whether d is a weekday and, when usHolidays is set,
// not a US federal holiday as observed.
func IsBusinessDay(d Date, usHolidays bool) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	if usHolidays {
		if _, ok := USFederalHoliday(d); ok {
			return false
		}
	}
	return true
}

// USFederalHoliday reports whether d is a legal public holiday under
// 5 U.S.C. § 6103 as observed by federal employees (a holiday on a Saturday
// is observed the Friday before, on a Sunday the Monday after), and names it.
func USFederalHoliday(d Date) (string, bool) {
	// A holiday on 1 January of next year may be observed on 31 December.
	for _, year := range []int{d.Year, d.Year + 1} {
		for _, h := range usHolidays(year) {
			if h.observed == d {
				return h.name, true
			}
		}
	}
	return "", false
}

type holiday struct {
	name     string
	observed Date
}

func usHolidays(year int) []holiday {
	fixed := func(m time.Month, day int) Date {
		d := Date{year, m, day}
		switch d.Weekday() {
		case time.Saturday:
			return d.AddDays(-1)
		case time.Sunday:
			return d.AddDays(1)
		}
		return d
	}
	hs := []holiday{
		{"New Year's Day", fixed(time.January, 1)},
		{"Birthday of Martin Luther King, Jr.", nthWeekday(year, time.January, time.Monday, 3)},
		{"Washington's Birthday", nthWeekday(year, time.February, time.Monday, 3)},
		{"Memorial Day", lastWeekday(year, time.May, time.Monday)},
		{"Independence Day", fixed(time.July, 4)},
		{"Labor Day", nthWeekday(year, time.September, time.Monday, 1)},
		{"Columbus Day", nthWeekday(year, time.October, time.Monday, 2)},
		{"Veterans Day", fixed(time.November, 11)},
		{"Thanksgiving Day", nthWeekday(year, time.November, time.Thursday, 4)},
		{"Christmas Day", fixed(time.December, 25)},
	}
	if year >= 2021 { // Juneteenth National Independence Day Act, Pub. L. 117-17
		hs = append(hs, holiday{"Juneteenth National Independence Day", fixed(time.June, 19)})
	}
	return hs
}

// nthWeekday returns the nth (1-based) weekday wd of the month.
func nthWeekday(year int, m time.Month, wd time.Weekday, n int) Date {
	d := Date{year, m, 1}
	offset := (int(wd) - int(d.Weekday()) + 7) % 7
	return d.AddDays(offset + 7*(n-1))
}

// lastWeekday returns the last weekday wd of the month.
func lastWeekday(year int, m time.Month, wd time.Weekday) Date {
	last := Date{year, m + 1, 1}.AddDays(-1) // AddDays normalises month 13
	offset := (int(last.Weekday()) - int(wd) + 7) % 7
	return last.AddDays(-offset)
}
