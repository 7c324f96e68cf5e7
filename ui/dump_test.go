package ui

import (
	"fmt"
	"testing"
)

func TestDump(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	fmt.Println(m.View())
	press(m, "4")
	fmt.Println(m.View())
	press(m, "enter")
	fmt.Println(m.View())
	press(m, "esc", " ", "5", " ", "c")
	fmt.Println(m.View())
	press(m, "esc", "?")
	fmt.Println(m.View())
	press(m, "?", "3")
	resize(m, 130, 30)
	fmt.Println(m.View())
	press(m, "/")
	typeText(m, "ulsan")
	fmt.Println(m.View())
}
