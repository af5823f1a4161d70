/* A C add-in doing float and double arithmetic through libgcc's soft-float
 * helpers, compiled position-independent so that it reaches its globals
 * through a global offset table: link.ld must place that table in the
 * data copied to RAM at start-up. crt0 calls prizm_start. */
extern void emu_exit(int code);
extern int emu_debug_write(const char *buffer, int length);

float scale = 1.5f;
double offset = 0.25;
static volatile int spin;

static int decimal(int value, char *out) {
    char digits[12];
    int n = 0, d = 0;
    if (value < 0) {
        out[n++] = '-';
        value = -value;
    }
    do {
        digits[d++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (d)
        out[n++] = digits[--d];
    out[n++] = '\n';
    return n;
}

int prizm_start(int r4, int r5) {
    (void)r4;
    (void)r5;
    float x = scale * 7.0f;               /* 10.5 */
    double y = (double)x / 4.0 + offset;  /* 2.875 */
    int result = (int)(y * 1000.0);       /* 2875 */
    char text[16];
    emu_debug_write(text, decimal(result, text));
    emu_exit(result);
    return 0;
}

void prizm_abort(void) {
    emu_exit(-1);
    for (;;)
        spin++;
}
