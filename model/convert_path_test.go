package model

import (
	"math"
	"testing"
)

// A direct rate seven months away loses to a path through USD whose legs are
// both within days of the fact; at equal distance the direct rate wins.
func TestConvertPrefersThePathNearestInTime(t *testing.T) {
	rates := []Rate{
		{Base: "EUR", Quote: "CNY", Value: 7.819, Date: Date{Value: "2025-09"}, Origin: RateImplied},
		{Base: "USD", Quote: "CNY", Value: 7.17, Date: Date{Value: "2025-02-24"}, Origin: RateImplied},
		{Base: "EUR", Quote: "USD", Value: 1.0465, Date: Date{Value: "2025-02-21"}, Origin: RateReference},
	}
	tab := NewRateTable(rates)
	m := Money{Amount: 380e9, Currency: "CNY"}

	c, err := tab.Convert(m, "EUR", Date{Value: "2025-02-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 2 || c.Legs[0].Quote != "USD" {
		t.Fatalf("February fact: legs %+v, want CNY→USD→EUR", c.Legs)
	}
	if want := 380e9 / 7.17 / 1.0465; math.Abs(c.To.Amount-want) > 1 {
		t.Errorf("February fact: %v, want %v", c.To.Amount, want)
	}

	c, err = tab.Convert(m, "EUR", Date{Value: "2025-09-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 1 {
		t.Fatalf("September fact: legs %+v, want the direct September rate", c.Legs)
	}
	if want := 380e9 / 7.819; math.Abs(c.To.Amount-want) > 1 {
		t.Errorf("September fact: %v, want %v", c.To.Amount, want)
	}
}
