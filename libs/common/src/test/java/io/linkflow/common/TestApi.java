package io.linkflow.common;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

/** A tiny API standing in for a service's resources in the library's tests. */
@Path("/test/items")
@Produces(MediaType.APPLICATION_JSON)
public class TestApi {

  private static final Logger LOG = Logger.getLogger(TestApi.class);

  public record Item(String name, int quantity) {}

  @GET
  @Path("/{id}")
  public Item get(@PathParam("id") String id) {
    LOG.infof("reading item %s", id);
    return new Item(id, 1);
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Item create(Item item) {
    return item;
  }
}
