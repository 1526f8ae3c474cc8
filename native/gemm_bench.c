/*
 * gemm_bench: the C baseline for panama-mlp's GEMM benchmark.
 *
 * Times cblas_dgemm (--dtype float64, the default) or cblas_sgemm (--dtype float32) called directly from C
 * (row-major, alpha = 1, beta = 0) on the shapes given on the command line, and prints one JSON object per
 * line: first an "info" line (OpenBLAS configuration, the library file actually loaded, thread count, element
 * type), then one "gemm" line per shape. One program for both types, so that the two are timed by the same
 * code: only the element type, the routine and the operands' bytes differ.
 *
 * The measurement scheme is the one io.github.panamamlp.bench.GemmBenchmark uses on the Java side, so
 * that the two can be compared number for number:
 *   1. operands are 64-byte aligned and filled from one SplitMix64 stream seeded with --seed
 *      (A in storage order, then B), values uniform in [-1, 1) as doubles; float32 operands hold those
 *      values rounded to the nearest float (the C cast, like Java's); C starts at zero;
 *   2. warm-up: calls until --warmup-ms have passed (at least one call);
 *   3. calls per repetition: --calls if given, else calibrated so that one repetition lasts at
 *      least --min-rep-ms;
 *   4. --reps repetitions, each timed with clock_gettime(CLOCK_MONOTONIC); the sample is the
 *      repetition's time divided by its call count (seconds per call);
 *   5. median and min of the samples, GFLOPS = 2*M*N*K / seconds / 1e9;
 *   6. a weighted checksum of C, sum of C[i][j] * ((7i + 3j) mod 11 + 1), summed in double whatever the
 *      element type, so the caller can check that both sides computed the same product on the same data.
 *
 * Build: make native  (gcc -O2 against OpenBLAS).  Run with --help for the options.
 */
#define _GNU_SOURCE
#include <cblas.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ALIGNMENT 64
#define MAX_SHAPES 256
#define MAX_REPS 100000
/* Largest dimension accepted; cblas takes int dimensions and leading dimensions. */
#define MAX_DIM 1000000
/* Largest operand accepted, in elements (2^31 - 1: 16 GiB of doubles), so no size computation can overflow. */
#define MAX_ELEMENTS ((int64_t)INT_MAX)

typedef struct {
    int m, n, k;
    int trans_a, trans_b;
} shape_t;

typedef enum { FLOAT64, FLOAT32 } dtype_t;

typedef struct {
    int threads;
    dtype_t dtype;
    int reps;
    long warmup_ms;
    long min_rep_ms;
    long long fixed_calls; /* 0: calibrate */
    uint64_t seed;
} options_t;

static void usage(FILE *out) {
    fprintf(out,
            "usage: gemm_bench [options] SHAPE...\n"
            "  SHAPE            M,N,K,TA,TB: C (MxN) = op(A) (MxK) * op(B) (KxN), row-major,\n"
            "                   TA/TB are N (as stored) or T (transposed); e.g. 784,50,100,T,N\n"
            "  --tiny           add the one-call-cost shapes 1,1,1,N,N and 4,4,4,N,N\n"
            "  --threads N      OpenBLAS threads (openblas_set_num_threads), default 1\n"
            "  --dtype TYPE     float64 (cblas_dgemm, the default) or float32 (cblas_sgemm)\n"
            "  --reps R         timed repetitions per shape, default 5\n"
            "  --warmup-ms W    warm-up time per shape in milliseconds, default 100\n"
            "  --min-rep-ms T   calibrate calls so one repetition lasts at least T ms, default 20\n"
            "  --calls C        fixed number of calls per repetition (no calibration)\n"
            "  --seed S         seed of the operand values, default 42\n"
            "Prints one JSON object per line: an \"info\" line, then one \"gemm\" line per shape.\n");
}

static void die_usage(const char *fmt, const char *arg) {
    fprintf(stderr, "gemm_bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    exit(2);
}

/* Parses a whole decimal integer in [lo, hi]; anything else ends the program with a message. */
static long long parse_int(const char *text, long long lo, long long hi, const char *what) {
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "gemm_bench: %s must be an integer in [%lld, %lld], got '%s'\n", what, lo, hi, text);
        exit(2);
    }
    return v;
}

static int parse_trans(const char *text, const char *spec) {
    if (strcmp(text, "N") == 0 || strcmp(text, "n") == 0 || strcmp(text, "0") == 0) return 0;
    if (strcmp(text, "T") == 0 || strcmp(text, "t") == 0 || strcmp(text, "1") == 0) return 1;
    die_usage("a transpose flag must be N or T, in shape '%s'", spec);
    return 0;
}

static shape_t parse_shape(const char *spec) {
    char buf[128];
    if (strlen(spec) >= sizeof buf) die_usage("shape too long: '%s'", spec);
    strcpy(buf, spec);
    char *fields[6];
    int count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (count == 5) die_usage("a shape has 5 fields M,N,K,TA,TB, got more in '%s'", spec);
        fields[count++] = tok;
    }
    if (count != 5) die_usage("a shape has 5 fields M,N,K,TA,TB, got '%s'", spec);
    shape_t s;
    s.m = (int)parse_int(fields[0], 1, MAX_DIM, "M");
    s.n = (int)parse_int(fields[1], 1, MAX_DIM, "N");
    s.k = (int)parse_int(fields[2], 1, MAX_DIM, "K");
    s.trans_a = parse_trans(fields[3], spec);
    s.trans_b = parse_trans(fields[4], spec);
    if ((int64_t)s.m * s.k > MAX_ELEMENTS || (int64_t)s.k * s.n > MAX_ELEMENTS || (int64_t)s.m * s.n > MAX_ELEMENTS)
        die_usage("an operand of shape '%s' has more than 2^31-1 elements", spec);
    return s;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* SplitMix64: tiny, fully specified, and reproduced bit for bit on the Java side. */
static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t element_size(dtype_t t) {
    return t == FLOAT32 ? sizeof(float) : sizeof(double);
}

static const char *dtype_name(dtype_t t) {
    return t == FLOAT32 ? "float32" : "float64";
}

static const char *routine_name(dtype_t t) {
    return t == FLOAT32 ? "cblas_sgemm" : "cblas_dgemm";
}

/* Uniform in [-1, 1) as a double; float32 operands store it rounded to the nearest float. */
static void fill(void *x, dtype_t t, int64_t count, uint64_t *state) {
    for (int64_t i = 0; i < count; i++) {
        double v = (double)(splitmix64(state) >> 11) * 0x1.0p-53 * 2.0 - 1.0;
        if (t == FLOAT32) ((float *)x)[i] = (float)v;
        else ((double *)x)[i] = v;
    }
}

static void *alloc_elements(int64_t count, dtype_t t, const char *name, const shape_t *s) {
    size_t bytes = (size_t)count * element_size(t);
    bytes = (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; /* aligned_alloc wants a multiple */
    void *p = aligned_alloc(ALIGNMENT, bytes);
    if (p == NULL) {
        fprintf(stderr, "gemm_bench: cannot allocate %zu bytes for %s of shape %d,%d,%d\n", bytes, name, s->m, s->n, s->k);
        exit(3);
    }
    return p;
}

static void gemm(const shape_t *s, dtype_t t, const void *a, const void *b, void *c) {
    int lda = s->trans_a ? s->m : s->k; /* stored A: MxK, or KxM when transposed */
    int ldb = s->trans_b ? s->k : s->n; /* stored B: KxN, or NxK when transposed */
    enum CBLAS_TRANSPOSE ta = s->trans_a ? CblasTrans : CblasNoTrans, tb = s->trans_b ? CblasTrans : CblasNoTrans;
    if (t == FLOAT32)
        cblas_sgemm(CblasRowMajor, ta, tb, s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c, s->n);
    else
        cblas_dgemm(CblasRowMajor, ta, tb, s->m, s->n, s->k, 1.0, a, lda, b, ldb, 0.0, c, s->n);
}

static int64_t time_calls(const shape_t *s, dtype_t t, const void *a, const void *b, void *c, long long calls) {
    int64_t start = now_ns();
    for (long long i = 0; i < calls; i++) gemm(s, t, a, b, c);
    return now_ns() - start;
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static void print_json_string(const char *text) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p == '\n') printf("\\n");
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static void bench(const shape_t *s, const options_t *o) {
    int64_t a_count = (int64_t)s->m * s->k, b_count = (int64_t)s->k * s->n, c_count = (int64_t)s->m * s->n;
    dtype_t dt = o->dtype;
    void *a = alloc_elements(a_count, dt, "A", s);
    void *b = alloc_elements(b_count, dt, "B", s);
    void *c = alloc_elements(c_count, dt, "C", s);
    uint64_t state = o->seed;
    fill(a, dt, a_count, &state);
    fill(b, dt, b_count, &state);
    memset(c, 0, (size_t)c_count * element_size(dt));

    /* Warm-up: page in the operands, start OpenBLAS's threads, settle the clock. */
    long long warmup_calls = 0;
    int64_t warmup_start = now_ns();
    do {
        gemm(s, dt, a, b, c);
        warmup_calls++;
    } while (now_ns() - warmup_start < o->warmup_ms * 1000000LL);

    long long calls = o->fixed_calls;
    if (calls == 0) {
        int64_t min_ns = o->min_rep_ms * 1000000LL;
        calls = 1;
        int64_t t = time_calls(s, dt, a, b, c, calls);
        while (t < min_ns && calls < 1000000000LL) {
            long long next = t > 0 ? (long long)((double)calls * (double)min_ns / (double)t * 1.2) + 1 : calls * 10;
            if (next > calls * 100) next = calls * 100;
            if (next <= calls) next = calls + 1;
            calls = next;
            t = time_calls(s, dt, a, b, c, calls);
        }
    }

    double *samples = malloc((size_t)o->reps * sizeof(double));
    double *sorted = malloc((size_t)o->reps * sizeof(double));
    if (samples == NULL || sorted == NULL) {
        fprintf(stderr, "gemm_bench: cannot allocate %d samples\n", o->reps);
        exit(3);
    }
    for (int r = 0; r < o->reps; r++) {
        samples[r] = (double)time_calls(s, dt, a, b, c, calls) * 1e-9 / (double)calls;
    }
    memcpy(sorted, samples, (size_t)o->reps * sizeof(double));
    qsort(sorted, (size_t)o->reps, sizeof(double), cmp_double);
    int h = o->reps / 2;
    double median = o->reps % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
    double min = sorted[0];

    double checksum = 0, checksum_abs = 0;
    for (int64_t i = 0; i < s->m; i++) {
        for (int64_t j = 0; j < s->n; j++) {
            double w = (double)((7 * i + 3 * j) % 11 + 1);
            double v = dt == FLOAT32 ? (double)((const float *)c)[i * s->n + j] : ((const double *)c)[i * s->n + j];
            checksum += v * w;
            checksum_abs += (v < 0 ? -v : v) * w;
        }
    }

    double flops = 2.0 * s->m * s->n * s->k;
    printf("{\"type\":\"gemm\",\"dtype\":\"%s\",\"routine\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"trans_a\":%s,\"trans_b\":%s,\"threads\":%d,"
           "\"flops\":%.0f,\"reps\":%d,\"calls_per_rep\":%lld,\"warmup_calls\":%lld,"
           "\"median_s\":%.9e,\"min_s\":%.9e,\"gflops_median\":%.6f,\"gflops_max\":%.6f,\"ns_per_call_median\":%.3f,"
           "\"checksum\":%.17g,\"checksum_abs\":%.17g,\"samples_s\":[",
           dtype_name(dt), routine_name(dt), s->m, s->n, s->k, s->trans_a ? "true" : "false", s->trans_b ? "true" : "false", openblas_get_num_threads(),
           flops, o->reps, calls, warmup_calls,
           median, min, flops / median * 1e-9, flops / min * 1e-9, median * 1e9,
           checksum, checksum_abs);
    for (int r = 0; r < o->reps; r++) printf(r ? ",%.9e" : "%.9e", samples[r]);
    printf("]}\n");
    fflush(stdout);

    free(samples);
    free(sorted);
    free(a);
    free(b);
    free(c);
}

int main(int argc, char **argv) {
    options_t o = {.threads = 1, .dtype = FLOAT64, .reps = 5, .warmup_ms = 100, .min_rep_ms = 20, .fixed_calls = 0, .seed = 42};
    static shape_t shapes[MAX_SHAPES];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(arg, "--tiny") == 0) {
            if (count + 2 > MAX_SHAPES) die_usage("at most %s shapes", "256");
            shapes[count++] = (shape_t){1, 1, 1, 0, 0};
            shapes[count++] = (shape_t){4, 4, 4, 0, 0};
            continue;
        }
        if (strncmp(arg, "--", 2) == 0) {
            if (i + 1 >= argc) die_usage("option %s needs a value", arg);
            const char *v = argv[++i];
            if (strcmp(arg, "--threads") == 0) o.threads = (int)parse_int(v, 1, 1024, "--threads");
            else if (strcmp(arg, "--dtype") == 0) {
                if (strcmp(v, "float64") == 0) o.dtype = FLOAT64;
                else if (strcmp(v, "float32") == 0) o.dtype = FLOAT32;
                else die_usage("--dtype must be float64 or float32, got '%s'", v);
            }
            else if (strcmp(arg, "--reps") == 0) o.reps = (int)parse_int(v, 1, MAX_REPS, "--reps");
            else if (strcmp(arg, "--warmup-ms") == 0) o.warmup_ms = (long)parse_int(v, 0, 3600000, "--warmup-ms");
            else if (strcmp(arg, "--min-rep-ms") == 0) o.min_rep_ms = (long)parse_int(v, 0, 3600000, "--min-rep-ms");
            else if (strcmp(arg, "--calls") == 0) o.fixed_calls = parse_int(v, 1, 1000000000LL, "--calls");
            else if (strcmp(arg, "--seed") == 0) o.seed = (uint64_t)parse_int(v, 0, LLONG_MAX, "--seed");
            else die_usage("unknown option %s", arg);
            continue;
        }
        if (count >= MAX_SHAPES) die_usage("at most %s shapes", "256");
        shapes[count++] = parse_shape(arg);
    }
    if (count == 0) die_usage("%s", "no shape given");

    openblas_set_num_threads(o.threads);

    /* Which file the dynamic loader actually bound the routine to, to compare with the JVM's. */
    Dl_info dl;
    void *routine = o.dtype == FLOAT32 ? (void *)cblas_sgemm : (void *)cblas_dgemm;
    const char *library = dladdr(routine, &dl) && dl.dli_fname ? dl.dli_fname : "";
    printf("{\"type\":\"info\",\"program\":\"gemm_bench\",\"openblas_config\":");
    print_json_string(openblas_get_config());
    printf(",\"library\":");
    print_json_string(library);
    printf(",\"threads\":%d,\"dtype\":\"%s\",\"routine\":\"%s\",\"seed\":%llu,\"reps\":%d,\"warmup_ms\":%ld,\"min_rep_ms\":%ld,\"fixed_calls\":%lld}\n",
           openblas_get_num_threads(), dtype_name(o.dtype), routine_name(o.dtype), (unsigned long long)o.seed, o.reps, o.warmup_ms, o.min_rep_ms, o.fixed_calls);
    fflush(stdout);

    for (int i = 0; i < count; i++) bench(&shapes[i], &o);
    return 0;
}
