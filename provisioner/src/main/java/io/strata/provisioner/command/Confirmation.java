package io.strata.provisioner.command;

import io.strata.api.client.ErrorLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Terraform's confirmation before apply and destroy: only {@code yes} goes on. With no one to ask
 * (stdin is not a terminal, or the output is a JSON event stream) the command refuses at once,
 * naming {@code --auto-approve}, instead of waiting for an answer that never comes.
 */
final class Confirmation {
  /** What is asked, and of what. */
  record Question(String verb, String[] lines) {}

  static final Question APPLY =
      new Question(
          "apply",
          new String[] {
            "Do you want to perform these actions?",
            "  Strata will perform the actions described above.",
            "  Only 'yes' will be accepted to approve."
          });

  static final Question DESTROY =
      new Question(
          "destroy",
          new String[] {
            "Do you really want to destroy all resources?",
            "  Strata will delete everything shown above. There is no undo.",
            "  Only 'yes' will be accepted to confirm."
          });

  private final ProvisionCommand command;

  Confirmation(ProvisionCommand command) {
    this.command = command;
  }

  /** Null when the user said yes; else the exit code to end with (1 declined, 2 cannot ask). */
  Integer ask(Question q) {
    if (command.json() || !command.interactive) {
      command.err.println(
          ErrorLine.of(
              "refusing to "
                  + q.verb()
                  + " without confirmation: "
                  + (command.json()
                      ? "--output json leaves no one to ask"
                      : "standard input is not a terminal")));
      command.err.println("  review the plan, then run again with --auto-approve (-auto-approve)");
      return 2;
    }
    command.out.println();
    for (String line : q.lines()) {
      command.out.println(line);
    }
    command.out.println();
    command.out.print("  Enter a value: ");
    command.out.flush();
    String answer;
    try {
      answer =
          new BufferedReader(new InputStreamReader(command.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      answer = null;
    }
    command.out.println();
    if (answer == null || !answer.strip().equals("yes")) {
      command.err.println(
          ErrorLine.of(
              Character.toUpperCase(q.verb().charAt(0))
                  + q.verb().substring(1)
                  + " cancelled: only 'yes' approves; nothing was changed."));
      return 1;
    }
    return null;
  }
}
