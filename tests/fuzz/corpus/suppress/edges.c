/* irqcheck: ignore free-with-handlers - spans
 * two lines */
// irqcheck: ignore a_b-c - x */ y
irqcheck: ignore