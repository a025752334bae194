package good_test

import (
	"fmt"

	"example.com/verify/solutions/good"
)

func ExampleAdd() {
	fmt.Println(good.Add(40, 2))
	// Output: 42
}
