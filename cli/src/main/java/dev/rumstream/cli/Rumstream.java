package dev.rumstream.cli;

import dev.rumstream.serde.AvroTrust;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.worker.WorkerApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rumstream} command: the demo, bootstrap training, the two services and the client
 * commands.
 */
@Command(
    name = "rumstream",
    mixinStandardHelpOptions = true,
    version = "rumstream 0.1.0",
    description =
        "Streaming machine unlearning: deletion requests in, unlearned models and receipts out.",
    subcommands = {
      Demo.class,
      Train.class,
      Schemas.class,
      Doctor.class,
      AuditCommand.class,
      SendRequest.class,
      RequestStatus.class,
      PendingRequests.class,
      Retrain.class,
      ModelCommand.class
    })
public final class Rumstream {
  public static void main(String[] args) {
    AvroTrust.trustRumstreamContracts();
    CommandLine command =
        new CommandLine(new Rumstream())
            .addSubcommand("streams", new StreamsApp())
            .addSubcommand("worker", new WorkerApp());
    System.exit(command.execute(args));
  }
}
