/** Offline checks of the deployment files against their schemas and against the code. */
package io.linkflow.deploy;
