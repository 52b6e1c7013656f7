package dev.rumstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.worker.ModelDescriptor;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The serving handoff: what a serving system takes from the model store. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Hands the version of a model that serves to a serving system.",
    subcommands = {ModelCommand.Export.class, ModelCommand.ExampleIds.class})
final class ModelCommand {

  @Command(
      name = "example-ids",
      mixinStandardHelpOptions = true,
      description =
          "Prints the example id of each image path of an image-folder dataset (relative to the"
              + " dataset's root, as train/cats/001.png): the ids a deletion request names.")
  static final class ExampleIds implements Callable<Integer> {
    @picocli.CommandLine.Parameters(paramLabel = "PATH", description = "Relative image paths.")
    java.util.List<String> paths;

    @Override
    public Integer call() {
      for (String path : paths) {
        System.out.println(
            dev.rumstream.engine.data.ImageFolders.stableId(path.replace('\\', '/')) + "\t" + path);
      }
      return 0;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the PROMOTED version of a model in DJL's format (<model>-0000.params, loaded with"
            + " Model.load(dir, model) into the same network) and model.json (version, checksum of"
            + " the stored parameters, evidence, gate verdict).",
        "Reads the worker's configuration (--config FILE and RUMSTREAM_* variables) for the model"
            + " store."
      })
  static final class Export implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model's id.")
    String modelId;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
    Path out;

    @Mixin WorkerOptions workerOptions;

    @Override
    public Integer call() throws Exception {
      WorkerConfig worker = workerOptions.load();
      ModelStore store = new ModelStore(worker.modelStore());
      VersionManifest current = store.promoted(modelId).orElse(null);
      if (current == null) {
        System.err.println(
            "Model " + modelId + " has no promoted version in " + worker.modelStore());
        return 1;
      }
      Files.createDirectories(out);
      try (Classifier model =
          store.load(
              current,
              file -> ModelFiles.load(file, Devices.select(worker.engine().device())),
              ModelFiles::checksum)) {
        model.saveDjl(out, modelId);
      }
      ObjectNode descriptor = ModelDescriptor.of(current, store);
      descriptor.put("djlParameters", modelId + "-0000.params");
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("model.json").toFile(), descriptor);
      System.out.println("Exported version " + current.version() + " of " + modelId + " to " + out);
      return 0;
    }
  }
}
