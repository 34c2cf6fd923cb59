/** Tools that render and compare the deployment files (used by the Makefile and the checks). */
package io.linkflow.deploy;
