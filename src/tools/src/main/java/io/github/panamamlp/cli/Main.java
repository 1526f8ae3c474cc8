package io.github.panamamlp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code panama-mlp} command line: train, evaluate, predict, summary, bench. */
@Command(name = "panama-mlp", mixinStandardHelpOptions = true, version = "panama-mlp 0.1.0",
        description = "Trains and runs neural networks on the CPU with OpenBLAS through Java's FFM API.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Options every command accepts. */
    static final class Common {
        @Option(names = "--verbose", description = "Print stack traces with errors.")
        boolean verbose;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The top-level command; picocli fills in {@link #spec}. */
    public Main() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: train, evaluate, predict, summary or bench");
    }

    /**
     * Runs the command line.
     *
     * @param out  where commands print their results
     * @param err  where errors and usage messages go
     * @param args the arguments, e.g. {@code train --epochs 1}
     * @return the exit code: 0 ok, 1 failure, 2 bad usage
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
            commandLine.getErr().println("panama-mlp: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("panama-mlp: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** The message of an error, on one line, without the exception's class name when it has a message. */
    static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        // The JDK's file exceptions carry only the path as their message: say what is wrong with it.
        if (ex instanceof java.nio.file.NoSuchFileException) {
            return msg + ": no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException) {
            return msg + ": permission denied";
        }
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }

    /**
     * Runs the command line on standard output and error, and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
