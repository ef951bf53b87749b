/*
 * empty.c — main returns at once and prints nothing: on hvt, its exits
 * are the boot's exits plus the one exit call (bench/run).
 */
int main(void)
{
	return 0;
}
