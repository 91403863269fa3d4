/* Empty: the default paths of a FreeBSD tree scan are sys/dev and
 * sys/net, and irqcheck's FreeBSD tree test has a sys/net. */
